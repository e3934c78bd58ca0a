/**
 * gRPC status codes (`google.rpc.Code`): carried in the `google.rpc.Status` bodies of OTLP/HTTP error answers
 * and, by a gRPC receiver, as the call's status.
 * @example GrpcCode.Unavailable // 14, with HTTP 503
 */
export const GrpcCode = {
  Ok: 0,
  Cancelled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

/** One of {@link GrpcCode}'s values. */
export type GrpcCodeValue = (typeof GrpcCode)[keyof typeof GrpcCode];

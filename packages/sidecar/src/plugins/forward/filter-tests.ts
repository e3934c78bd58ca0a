/** The tests a filter walk makes: keep a resource (by its attributes), keep a metric (by its name). */
export interface FilterTests {
  /** Whether resource attributes are tested at all. */
  readonly byResource: boolean;
  /** Whether metric names are tested at all. */
  readonly byName: boolean;
  keepResource(attributes: ReadonlyMap<string, string>): boolean;
  keepMetric(name: string): boolean;
}

import { describe, expect, it } from 'vitest';
import { encodeSeqRequest, SeqBodyTemplate } from './seq-body-template.ts';

describe('SeqBodyTemplate', () => {
  it('patches to exactly what the OpenTelemetry serializer encodes for the same values and times', () => {
    const template = new SeqBodyTemplate(50);
    const time = 1_765_000_000_123_456_789n;
    const values = Array.from({ length: 50 }, (_, i) => 7_000 + i);
    expect(template.fill(7_000, time)).toEqual(
      Buffer.from(encodeSeqRequest('reliability_seq', values, time)),
    );
  });

  it('gives different sequence numbers different bodies', () => {
    const template = new SeqBodyTemplate(3);
    const time = 1_765_000_000_000_000_000n;
    expect(template.fill(0, time)).not.toEqual(template.fill(3, time));
  });
});

/**
 * Calls `check` every 50 ms until it returns true or `timeoutMs` passes; returns whether it did.
 * @example expect(await poll(async () => (await t.get('/metrics')).body.includes('x'))).toBe(true);
 */
export async function poll(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

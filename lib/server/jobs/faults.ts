import 'server-only';

/** The moments a crash costs the most; faults.test.ts kills the worker at each. */
const FAULT_POINTS = ['after-accept', 'after-handle', 'after-download'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/**
 * Test-only crash point. With PROOFSHEET_FAULTS naming this point (comma separated; `point` for
 * every variation, `point:<variation id>` for one), the worker prints `[fault] <point> <id>` and
 * stops here for good, so the test can kill -9 the process at exactly this moment. Read straight
 * from process.env rather than env(): it is not a setting, and the production build (NODE_ENV
 * inlined as 'production') drops the whole body.
 */
export async function faultPoint(point: FaultPoint, variationId: string): Promise<void> {
  if (process.env.NODE_ENV === 'production') return;
  const armed = process.env.PROOFSHEET_FAULTS;
  if (!armed) return;
  const entries = armed.split(',').map((e) => e.trim());
  if (!entries.includes(point) && !entries.includes(`${point}:${variationId}`)) return;
  process.stdout.write(`[fault] ${point} ${variationId}\n`);
  await new Promise<never>(() => {});
}

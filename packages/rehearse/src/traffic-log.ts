import type { Clock } from './clock.js';
import type { ReleasePlatform } from './lifecycle.js';
import type { TrafficPoint } from './load-series.js';

/**
 * The platform with every change of production's weights written down, for
 * the release report: production starts all on blue, and each
 * `setProductionShare` from then on is a point (green's share, blue the rest).
 */
export function withTrafficLog(
  platform: ReleasePlatform,
  points: TrafficPoint[],
  clock: Clock,
): ReleasePlatform {
  const record = (greenPercent: number) =>
    points.push({
      at: new Date(clock.now()).toISOString(),
      shares: { blue: 100 - greenPercent, green: greenPercent },
    });
  record(0);
  return {
    startGreen: () => platform.startGreen(),
    greenState: () => platform.greenState(),
    routeTest: (set) => platform.routeTest(set),
    setProductionShare: async (greenPercent) => {
      await platform.setProductionShare(greenPercent);
      record(greenPercent);
    },
    http5xxCounts: () => platform.http5xxCounts(),
    terminate: (set) => platform.terminate(set),
    runHook: (event, functionName) => platform.runHook(event, functionName),
    ...(platform.invokeNativeHook
      ? { invokeNativeHook: (invocation) => platform.invokeNativeHook!(invocation) }
      : {}),
    ...(platform.sampleProduction ? { sampleProduction: () => platform.sampleProduction!() } : {}),
  };
}

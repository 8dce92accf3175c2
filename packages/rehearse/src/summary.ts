import type { RehearsalSummary } from './rehearsal.js';

const seconds = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} s`);

/** The closing summary, as lines of text. */
export function formatSummary(summary: RehearsalSummary): string[] {
  const { timings } = summary;
  const lines = [
    '',
    `Outcome    ${summary.outcome}${summary.reason ? ` (${summary.reason})` : ''}`,
    `Release    ${summary.version}: ${summary.colors.blue} → ${summary.colors.green}, ${summary.controller === 'ecs' ? 'ECS blue/green' : 'CodeDeploy'} ${summary.strategy.type}${
      summary.strategy.type === 'all-at-once'
        ? ''
        : ` ${summary.strategy.percent} % / ${summary.strategy.intervalMinutes} min`
    }${summary.fault ? `, fault ${summary.fault}` : ''}, waits ${summary.timeScale === 1 ? 'real' : `scaled ×${summary.timeScale.toFixed(4)}`}`,
    `Source     ${summary.source.commitId}${summary.source.dirty ? ` (dirty: snapshot of the working tree of ${summary.source.headCommitId})` : ''}, ${summary.source.files} files, no .git`,
    `Build      ${summary.build.status}: ${summary.events
      .filter((event) => event.stage === 'Build')
      .map((event) => `${event.name} ${event.result} ${event.durationSeconds.toFixed(1)} s`)
      .join(', ')}`,
    `Requests   ${summary.requests} on the production listener, ${summary.failedRequests} failed`,
  ];
  for (const [phase, count] of Object.entries(summary.phases)) {
    lines.push(
      `  ${phase.padEnd(13)} ${String(count.requests).padStart(6)} requests, ${count.failed} failed${count.reasons.length ? ` (${count.reasons.join('; ')})` : ''}`,
    );
  }
  for (const gate of summary.gates) {
    const by =
      gate.answer.by === 'command'
        ? `\`pnpm rehearse ${gate.answer.command}\` (${gate.answer.user}, pid ${gate.answer.pid})`
        : gate.answer.by;
    lines.push(
      `Gate       ${gate.kind === 'approval' ? 'approval' : `pause at ${gate.stage ?? '?'}`}: ${gate.decision} by ${by}, waited ${gate.waitedSeconds.toFixed(1)} s from ${gate.started.slice(11, 19)} (timeout ${gate.timeoutSeconds.toFixed(0)} s: ${gate.onTimeout})`,
    );
  }
  const hooked = summary.events.flatMap((event) =>
    event.stage === 'Deploy' && event.invocations !== undefined ? [event] : [],
  );
  if (hooked.length > 0) {
    lines.push(
      `Hooks      ${hooked
        .map(
          (event) =>
            `${event.rollback ? 'rollback ' : ''}${event.name} ${event.hookStatus ?? 'no hookStatus'} ×${event.invocations}`,
        )
        .join(', ')}`,
    );
  }
  if (summary.replacedTasks.length > 0) {
    lines.push(
      `Replaced   ${summary.replacedTasks.length} stopped tasks (ECS's scheduler): ${summary.replacedTasks.join(', ')}`,
    );
  }
  lines.push(
    `Timings    build ${seconds(timings.buildSeconds)}, green healthy ${seconds(timings.greenHealthySeconds)} (gate ${timings.healthGateSeconds} s), hooks ${seconds(timings.hookSeconds)}, shift ${seconds(timings.shiftSeconds)}, drain ${seconds(timings.drainSeconds)}, total ${seconds(timings.totalSeconds)}`,
  );
  if (summary.awsCalls.length > 0) {
    const counts = new Map<string, number>();
    for (const call of summary.awsCalls) counts.set(call, (counts.get(call) ?? 0) + 1);
    lines.push(
      `AWS calls  ${[...counts].map(([call, count]) => (count > 1 ? `${call} ×${count}` : call)).join(', ')} (stand-in)`,
    );
  }
  if (summary.kept) {
    lines.push(
      `Kept       ${summary.productionUrl} (production), ${summary.testUrl} (test); \`pnpm rehearse down\` removes it`,
    );
  }
  return lines;
}

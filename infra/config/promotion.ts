import type { InfraConfig } from './schema.js';

/**
 * Promotion between environments: an environment with `promotion.from` is
 * deployed by the pipeline of the environment it names, after that one's
 * deployment and the gates. An environment without `promotion` starts a
 * chain and owns its pipeline. Each environment keeps its own controller, so
 * every mix of `codedeploy` and `ecs` along a chain is allowed: the Deploy
 * action of each step is its own controller's (CodeDeployToECS, or the ship
 * program in a CodeBuild action).
 */

/** Thrown when the environments do not form promotion chains; the message lists each problem. */
export class PromotionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid promotion between environments:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PromotionError';
  }
}

/** What in a set of validated environments breaks promotion, each naming the field and value. */
export function promotionProblems(configs: Readonly<Record<string, InfraConfig>>): string[] {
  const problems: string[] = [];
  const names = Object.keys(configs);
  for (const [name, config] of Object.entries(configs)) {
    const from = config.promotion?.from;
    if (from === undefined) continue;
    const source = configs[from];
    if (source === undefined) {
      problems.push(
        `${name}: promotion.from = ${JSON.stringify(from)}: not a registered environment; expected one of ${names.filter((other) => other !== name).join(', ')}`,
      );
      continue;
    }
    if (config.account !== undefined && source.account === undefined) {
      problems.push(
        `${name}: account = ${JSON.stringify(config.account)}: promotion.from ${from} sets no account; set it too, so ${name} can name the account it trusts (infra/docs/environments.md, "Two accounts")`,
      );
    }
    if (source.prefix !== config.prefix) {
      problems.push(
        `${name}: prefix = ${JSON.stringify(config.prefix)}: must equal the prefix of promotion.from ${from} (${JSON.stringify(source.prefix)}): the promoting build names this environment's resources from it`,
      );
    }
  }
  for (const name of names) {
    const path: string[] = [name];
    let current = configs[name]?.promotion?.from;
    while (current !== undefined && configs[current] !== undefined && !path.includes(current)) {
      path.push(current);
      current = configs[current]?.promotion?.from;
    }
    // Each environment on a cycle reports it, naming its own promotion.from.
    if (current === name) {
      problems.push(
        `${name}: promotion.from = ${JSON.stringify(configs[name]!.promotion!.from)}: promotion cycle ${[...path, name].join(' → ')}; one environment of a chain must have no promotion (it owns the pipeline)`,
      );
    }
  }
  return problems;
}

/** Throws {@link PromotionError} when the environments do not form promotion chains. */
export function checkPromotion(configs: Readonly<Record<string, InfraConfig>>): void {
  const problems = promotionProblems(configs);
  if (problems.length > 0) throw new PromotionError(problems);
}

/**
 * The chain an environment owns the pipeline of: itself, then every
 * environment promoted from it, in order (a tree is walked depth first; a
 * chain is the usual case). Empty when the environment is itself promoted.
 */
export function promotionChain(
  root: string,
  configs: Readonly<Record<string, InfraConfig>>,
): InfraConfig[] {
  const rootConfig = configs[root];
  if (rootConfig === undefined || rootConfig.promotion !== undefined) return [];
  const chain: InfraConfig[] = [];
  const visit = (config: InfraConfig): void => {
    chain.push(config);
    for (const next of Object.values(configs)) {
      if (next.promotion?.from === config.environment) visit(next);
    }
  };
  visit(rootConfig);
  return chain;
}

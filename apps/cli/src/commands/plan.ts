import type { Command } from 'commander';

/** Registers `bluegreen plan …`. (Not implemented yet.) */
export function registerPlanCommands(_program: Command): void {
  // Implemented by its issue.
}

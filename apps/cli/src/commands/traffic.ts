import type { Command } from 'commander';

/** Registers `bluegreen traffic …`. (Not implemented yet.) */
export function registerTrafficCommands(_program: Command): void {
  // Implemented by its issue.
}

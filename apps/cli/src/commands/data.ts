import type { Command } from 'commander';

/** Registers `bluegreen data …`. (Not implemented yet.) */
export function registerDataCommands(_program: Command): void {
  // Implemented by its issue.
}

import type { Command } from 'commander';

/** Registers `bluegreen state …`. (Not implemented yet.) */
export function registerStateCommands(_program: Command): void {
  // Implemented by its issue.
}

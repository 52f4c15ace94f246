import type { Command } from 'commander';

/** Registers `bluegreen schema …`. (Not implemented yet.) */
export function registerSchemaCommands(_program: Command): void {
  // Implemented by its issue.
}

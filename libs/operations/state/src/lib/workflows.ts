/**
 * `bluegreen state show` as a library function `(options, ports) -> result`, and the remote-state reader the traffic
 * commands take their stack outputs from.
 */
import { existsSync } from 'node:fs';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { stateLocation, StateReadError, stateUrl, type StateLocation, type StateObject, type StateObjectPort } from './ports';
import { summarizeState, type StateSummary } from './summary';

/** Reads the state object and describes where it came from (`s3://b/k (remote state, serial 12, modified …)`). */
export async function readRemoteState(loc: StateLocation, port: StateObjectPort): Promise<{ text: string; source: string; object: StateObject }> {
  const object = await port.readState(loc);
  let serial: unknown;
  try {
    serial = (JSON.parse(object.text) as { serial?: unknown }).serial;
  } catch {
    throw new StateReadError(`${stateUrl(loc)}: the object is not a JSON Terraform state`);
  }
  const parts = ['remote state', ...(typeof serial === 'number' ? [`serial ${serial}`] : []), ...(object.lastModified ? [`written ${object.lastModified.toISOString()}`] : [])];
  return { text: object.text, source: `${stateUrl(loc)} (${parts.join(', ')})`, object };
}

export interface StateShowOptions {
  readonly env: string;
  /** The environment's config file. */
  readonly file: string;
}

export interface StateShowResult {
  readonly environment: string;
  readonly location: string;
  readonly source: string;
  readonly summary: StateSummary;
}

/** The environment's state from its remote state object (the S3 backend settings of its config), summarized. */
export async function stateShow(o: StateShowOptions, ports: { readonly state: StateObjectPort }): Promise<StateShowResult> {
  if (!existsSync(o.file)) throw new StateReadError(`--env ${o.env}: no environment config at ${o.file} (run from the repository root or pass --config)`);
  const config = loadEnvironmentConfig(o.file);
  if (config.environment !== o.env) throw new StateReadError(`${o.file} describes environment '${config.environment}', not '${o.env}' (--env and --config disagree)`);
  const loc = stateLocation(config);
  const read = await readRemoteState(loc, ports.state);
  const summary = summarizeState(read.text);
  // An empty state is almost always the wrong bucket/key, or nothing deployed yet.
  if (summary.resourceCount === 0) throw new StateReadError(`no resources in ${stateUrl(loc)}: nothing deployed yet, or the wrong bucket/key`);
  return { environment: config.environment, location: stateUrl(loc), source: read.source, summary };
}

/**
 * The Node.js major the schema-validator Lambda runs on: the function's Lambda runtime and the esbuild target of
 * its bundle are both derived from it, so they cannot disagree. Move it when Lambda announces the end of support
 * of the current one (Node.js 22 on Lambda: supported until April 2027).
 */
export const VALIDATOR_NODE_MAJOR = 22;

/** The Lambda runtime identifier (`nodejs22.x`). */
export const VALIDATOR_LAMBDA_RUNTIME = `nodejs${VALIDATOR_NODE_MAJOR}.x`;

/** The esbuild `target` of the bundle (`node22`): the bundle may use what that runtime supports, nothing newer. */
export const VALIDATOR_BUNDLE_TARGET = `node${VALIDATOR_NODE_MAJOR}`;

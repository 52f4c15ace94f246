export { parsePlanJson, PlanInputError, type TerraformPlanJson, type PlanResourceChange, type PlanAction } from './lib/plan';
export {
  reviewPlan,
  forwardTargets,
  colourOf,
  parseFailOn,
  kindOf,
  STATEFUL_TYPES,
  IAM_TYPES,
  FAIL_ON_CATEGORIES,
  DEFAULT_FAIL_ON,
  type PlanReview,
  type ChangeKind,
  type ChangeSummary,
  type TypeCount,
  type TrafficChange,
  type WeightedTarget,
  type IamChange,
  type BlockingFinding,
  type FailOnCategory,
} from './lib/review';
export { renderMarkdown } from './lib/markdown';

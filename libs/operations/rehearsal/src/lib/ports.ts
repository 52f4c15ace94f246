/**
 * The ports the rehearsal's traffic glue needs, named for what the traffic workflows need (listener weights, colour
 * signals, target health), not for the stand-ins. The stand-in adapters are in ./adapters.ts; the same shapes are
 * what the traffic library's AWS calls give (describeListenerWeights/setListenerWeights, getColourSignals,
 * describeTargetHealth), so the glue can move onto the traffic library's own ports unchanged.
 */
import type { Colour } from '@bluegreen/contract';
import type { ColourSignals, Weights } from '@bluegreen/traffic';

/** The HTTPS listener's weighted forward (ModifyListener in production). */
export interface ListenerPort {
  getWeights(): Promise<Weights>;
  setWeights(weights: Weights): Promise<void>;
}

/** What CloudWatch says about one colour over the last `windowMs` (GetMetricData in production). */
export interface ColourSignalsPort {
  read(colour: Colour, windowMs: number): Promise<ColourSignals>;
}

/** A colour's target group health (DescribeTargetHealth in production). */
export interface TargetHealthPort {
  health(colour: Colour): Promise<{ readonly healthy: number; readonly unhealthy: number }>;
}

export interface TrafficPorts {
  readonly listener: ListenerPort;
  readonly signals: ColourSignalsPort;
  readonly targets: TargetHealthPort;
}

/**
 * Parsers for numeric options, the same words in every command: commander reports what they throw as a usage
 * error (exit 64) naming the option and the value given.
 */
import { InvalidArgumentError } from 'commander';

/** A whole number in [min, max]; without a max, any whole number from min ("a whole number" when min is 0). */
export function integerIn(name: string, min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const fits = /^\d+$/.test(value) && Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max);
    if (!fits) {
      const what = max !== undefined ? `an integer ${min}-${max}` : min === 0 ? 'a whole number' : `a whole number of at least ${min}`;
      throw new InvalidArgumentError(`${name} must be ${what}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

/** A decimal number in [min, max] (`1`, `0.5`; no sign, no exponent). */
export function numberIn(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number ${min}-${max}, got ${JSON.stringify(value)}`);
    return n;
  };
}

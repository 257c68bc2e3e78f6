import { InvalidArgumentError } from 'commander';

/** A commander argument parser for a whole number in `min..max`, naming the option when it refuses a value. */
export function integerOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be an integer ${min}..${max}`);
    }
    return Number(value);
  };
}

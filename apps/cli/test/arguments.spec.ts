import { InvalidArgumentError } from 'commander';
import { integerIn, numberIn } from '../src/arguments';

// Numeric options read the same everywhere: hostile or mistyped values are usage errors naming the option and value.
describe('numeric option parsers', () => {
  it.each([
    ['--percent', integerIn('--percent', 0, 100), '101', '--percent must be an integer 0-100, got "101"'],
    ['--percent', integerIn('--percent', 0, 100), '-5', '--percent must be an integer 0-100, got "-5"'],
    ['--percent', integerIn('--percent', 0, 100), '1e2', '--percent must be an integer 0-100, got "1e2"'],
    ['--deadline', integerIn('--deadline', 1), '0', '--deadline must be a whole number of at least 1, got "0"'],
    ['--verify-max-age', integerIn('--verify-max-age', 0), '99999999999999999999', '--verify-max-age must be a whole number, got "99999999999999999999"'],
    ['--interval', numberIn('--interval', 1, 3600), '0', '--interval must be a number 1-3600, got "0"'],
    ['--interval', numberIn('--interval', 1, 3600), 'Infinity', '--interval must be a number 1-3600, got "Infinity"'],
    ['--rate', numberIn('--rate', 1, 500), ' 5', '--rate must be a number 1-500, got " 5"'],
  ])('%s %s is refused', (_name, parse, value, message) => {
    expect(() => parse(value)).toThrow(InvalidArgumentError);
    expect(() => parse(value)).toThrow(message);
  });

  it('accepts what it documents', () => {
    expect(integerIn('--percent', 0, 100)('0')).toBe(0);
    expect(integerIn('--percent', 0, 100)('100')).toBe(100);
    expect(numberIn('--interval', 1, 3600)('2.5')).toBe(2.5);
  });
});

import * as assert from 'node:assert/strict';
import { creditsText, formatCredits } from '../../src/shared/credits';

describe('formatCredits (the one way credits are written)', () => {
  it('groups thousands and drops the decimals from 100 on', () => {
    assert.equal(formatCredits(1233), '1,233');
    assert.equal(formatCredits(1233.75), '1,234');
    assert.equal(formatCredits(100), '100');
    assert.equal(formatCredits(1e6), '1,000,000');
  });

  it('writes two decimals below 100', () => {
    assert.equal(formatCredits(99.5), '99.50');
    assert.equal(formatCredits(0.75), '0.75');
    assert.equal(formatCredits(1.234), '1.23');
    assert.equal(formatCredits(0.01), '0.01');
  });

  it('decides on the amount rounded to cents, so nothing reads 100.00', () => {
    assert.equal(formatCredits(99.995), '100');
    assert.equal(formatCredits(99.996), '100');
    assert.equal(formatCredits(99.994), '99.99');
  });

  it('writes amounts too small for two decimals with two significant digits, and zero as 0', () => {
    assert.equal(formatCredits(0.00456), '0.0046');
    assert.equal(formatCredits(0.0049), '0.0049');
    assert.equal(formatCredits(0.005), '0.01');
    assert.equal(formatCredits(0), '0');
    assert.equal(formatCredits(-0), '0');
  });

  it('writes the smallest amounts in fixed point, never as an exponent', () => {
    assert.equal(formatCredits(1e-7), '0.00000010');
    assert.equal(formatCredits(1.234e-6), '0.0000012');
    assert.equal(formatCredits(-3e-9), '-0.0000000030');
  });

  it('crosses from two significant digits to cents at one boundary: what rounds to 0.0050 is 0.01', () => {
    assert.equal(formatCredits(0.004949), '0.0049');
    assert.equal(formatCredits(0.00495), '0.01');
    assert.equal(formatCredits(0.004999), '0.01');
    assert.equal(formatCredits(0.005), '0.01');
    assert.equal(formatCredits(-0.004999), '-0.01');
  });

  it('keeps the sign of a negative balance', () => {
    assert.equal(formatCredits(-0.25), '-0.25');
    assert.equal(formatCredits(-1500), '-1,500');
  });

  it('says unknown for what is not a finite number', () => {
    for (const value of [NaN, Infinity, -Infinity]) assert.equal(formatCredits(value), 'unknown');
  });

  it('names the unit', () => {
    assert.equal(creditsText(1233), '1,233 credits');
    assert.equal(creditsText(99.5), '99.50 credits');
  });
});

import { requireId } from '../../src/common/access';
import { optionalText, requireRegionCode, requireText } from '../../src/common/input';
import { BadUserInputError } from '../../src/errors';

describe('the input helpers every service shares', () => {
  it('trims text and refuses a blank or missing required value, naming the field', () => {
    expect(requireText('  整改期间暂停 ', 'reason')).toBe('整改期间暂停');
    for (const value of ['   ', '', null, undefined]) {
      expect(() => requireText(value, 'reason')).toThrow(new BadUserInputError('reason must not be blank', 'reason'));
    }
  });

  it('reads a blank optional value as no value, not as an error', () => {
    expect(optionalText('   ', 'note', 500)).toBeNull();
    expect(optionalText(null, 'note', 500)).toBeNull();
    expect(optionalText(' 押金 ', 'note', 500)).toBe('押金');
  });

  it('holds text to the limit the caller names', () => {
    expect(requireText('x'.repeat(2000), 'input.findings', 2000)).toHaveLength(2000);
    expect(() => requireText('x'.repeat(2001), 'input.findings', 2000)).toThrow(/at most 2000 characters/);
    expect(() => optionalText('x'.repeat(501), 'note', 500)).toThrow(/at most 500 characters/);
  });

  it('names the kind of record a malformed id should have been, and checks region codes', () => {
    expect(() => requireId('nope', 'input.pledgeId', 'pledge')).toThrow('input.pledgeId is not a pledge id');
    expect(() => requireId('nope', 'fundId')).toThrow('fundId is not a valid id');
    expect(requireId('4B2267EE-2D56-50DB-8342-D2D43B9E250B', 'id')).toBe('4b2267ee-2d56-50db-8342-d2d43b9e250b');
    expect(() => requireRegionCode('4213', 'regionCode')).toThrow(BadUserInputError);
  });
});

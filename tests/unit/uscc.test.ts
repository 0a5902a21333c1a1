import { USCC_CHARSET, usccCheckCharacter, validateUscc, withUsccCheckCharacter } from '../../src/domain/uscc';

describe('validateUscc', () => {
  it.each([
    ['91350100M000100Y43', 'ENTERPRISE', '350100'],
    ['91110000600037341L', 'ENTERPRISE', '110000'],
    ['914403001922038216', 'ENTERPRISE', '440300'],
  ])('accepts the published code %s', (code, kind, region) => {
    expect(validateUscc(code)).toEqual({ valid: true, uscc: code, kind, regionCode: region });
  });

  it('rejects a USCC with a wrong check character and names the expected one', () => {
    const result = validateUscc('91421300MA4ABCDEF0');
    expect(result).toEqual({ valid: false, reason: expect.stringContaining("expected 'T'") });
  });

  it('accepts the same code once its check character is corrected', () => {
    expect(validateUscc('91421300MA4ABCDEFT').valid).toBe(true);
  });

  it('rejects every single-character change of a valid code', () => {
    const valid = '91350100M000100Y43';
    for (let position = 0; position < 18; position++) {
      for (const replacement of USCC_CHARSET) {
        if (replacement === valid[position]) continue;
        const mutated = valid.slice(0, position) + replacement + valid.slice(position + 1);
        const result = validateUscc(mutated);
        // Changing a region digit to a letter fails on the region, anything else on the check.
        expect(result.valid).toBe(false);
      }
    }
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('rejects the letter %s, which the charset leaves out', (letter) => {
    const result = validateUscc(`91421300MA4${letter}BCDEF0`);
    expect(result).toEqual({ valid: false, reason: expect.stringContaining('not allowed') });
  });

  it('rejects a code of the wrong length', () => {
    expect(validateUscc('91421300MA4ABCDE')).toEqual({ valid: false, reason: 'must be 18 characters, got 16' });
  });

  it('rejects letters where the region code should be', () => {
    const code = withUsccCheckCharacter('9142A300MA4ABCDEF');
    expect(validateUscc(code)).toEqual({ valid: false, reason: expect.stringContaining('region code') });
  });

  it('normalises lower case and surrounding spaces', () => {
    expect(validateUscc('  91350100m000100y43 ')).toMatchObject({ valid: true, uscc: '91350100M000100Y43' });
  });

  it('reads the entity kind from the first two characters', () => {
    expect(validateUscc(withUsccCheckCharacter('92421303MA4K12345'))).toMatchObject({ kind: 'INDIVIDUAL_BUSINESS' });
    expect(validateUscc(withUsccCheckCharacter('93421321MA4K12345'))).toMatchObject({ kind: 'FARMER_COOPERATIVE' });
    expect(validateUscc(withUsccCheckCharacter('52421300MA4K12345'))).toMatchObject({ valid: true, kind: null });
  });
});

describe('usccCheckCharacter', () => {
  it('maps a weighted sum divisible by 31 to 0, not to the out-of-range 31', () => {
    expect(usccCheckCharacter('00000000000000000')).toBe('0');
  });

  it('throws on a character outside the charset', () => {
    expect(() => usccCheckCharacter('9142130OMA4ABCDEF')).toThrow(/position 8/);
  });
});

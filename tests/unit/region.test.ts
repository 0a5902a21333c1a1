import { isRegionCode, regionCodeRange, regionCovers, regionPrefix } from '../../src/domain/region';

describe('region codes', () => {
  it('lets a city code cover its districts and not a neighbouring city', () => {
    expect(regionCovers('421300', '421303')).toBe(true);
    expect(regionCovers('421300', '421381')).toBe(true);
    expect(regionCovers('421300', '420100')).toBe(false);
  });

  it('lets a district cover only itself', () => {
    expect(regionCovers('421303', '421303')).toBe(true);
    expect(regionCovers('421303', '421321')).toBe(false);
  });

  it('lets a province code cover every code in the province', () => {
    expect(regionPrefix('420000')).toBe('42');
    expect(regionCovers('420000', '421321')).toBe(true);
  });

  it('refuses codes that are not six digits', () => {
    expect(isRegionCode('4213')).toBe(false);
    expect(isRegionCode('42130A')).toBe(false);
    expect(() => regionPrefix('abc')).toThrow(RangeError);
  });
});

describe('region code ranges', () => {
  it('covers exactly the codes a region covers', () => {
    expect(regionCodeRange('421300')).toEqual({ from: '421300', to: '421399' });
    expect(regionCodeRange('420000')).toEqual({ from: '420000', to: '429999' });
    expect(regionCodeRange('421303')).toEqual({ from: '421303', to: '421303' });
    for (const code of ['421303', '421381', '420100', '430100', '421300']) {
      const { from, to } = regionCodeRange('421300');
      expect(code >= from && code <= to).toBe(regionCovers('421300', code));
    }
  });
});

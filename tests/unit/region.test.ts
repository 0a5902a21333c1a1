import { isRegionCode, regionCovers, regionPrefix } from '../../src/domain/region';

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

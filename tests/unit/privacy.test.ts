import { maskPhone, surnameOnly } from '../../src/domain/privacy';

describe('privacy masks', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
  });

  it('masks a landline the same way and hides very short numbers whole', () => {
    expect(maskPhone('0722-3251234')).toBe('072****1234');
    expect(maskPhone('12315')).toBe('*****');
  });

  it('reduces a name to its surname, compound surnames included', () => {
    expect(surnameOnly('王小明')).toBe('王');
    expect(surnameOnly('欧阳娜娜')).toBe('欧阳');
    expect(surnameOnly('欧阳')).toBe('欧');
    expect(surnameOnly('John Smith')).toBe('Smith');
  });
});

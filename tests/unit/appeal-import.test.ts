import { checkHeader, IMPORT_COLUMNS, mapAppealRow, mapRecord, parseImportTime, readCsv, type CsvRecord, type ImportColumn, type ImportSource } from '../../src/modules/appeal/appeal.import';

const at = (iso: string) => new Date(iso);
const MERCHANT = '91421303760447616B';

function mapped(values: Partial<Record<ImportColumn, string>>) {
  const result = mapAppealRow(values);
  if (!result.ok) throw new Error(`expected a valid row, got ${JSON.stringify(result.problems)}`);
  return result.row;
}

function problemsOf(values: Partial<Record<ImportColumn, string>>) {
  const result = mapAppealRow(values);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const BASE = { external_id: 'X-1', type: 'COMPLAINT', channel: 'HOTLINE', received_at: '2024-03-15 09:30' } as const;

describe('mapping a CSV row to an appeal draft', () => {
  it('maps every column', () => {
    const row = mapped({
      external_id: ' 12315-4213-2024-00001 ',
      type: 'COMPLAINT',
      channel: 'WEB',
      received_at: '2024-03-15 09:30:15',
      merchant_uscc: MERCHANT.toLowerCase(),
      region_code: '421303',
      category_code: 'goods.home_appliances',
      issue_type: 'QUALITY',
      violation_type: '',
      amount_involved_yuan: '3299.5',
      amount_recovered_yuan: '12.34',
      consumer_name: ' 陈先生 ',
      consumer_phone: '13972881234',
      details: '空调不制冷',
      status: 'mediated',
      accepted_at: '2024-03-18 09:00',
      rejected_at: '',
      rejection_reason: '',
      mediation_started_at: '2024-03-19 10:00',
      concluded_at: '2024-03-29 16:30',
      verification_started_at: '',
      verification_extended_at: '',
      decided_at: '',
      closed_at: '',
    });
    expect(row).toEqual({
      merchantUscc: MERCHANT,
      draft: {
        externalId: '12315-4213-2024-00001',
        type: 'COMPLAINT',
        channel: 'WEB',
        receivedAt: at('2024-03-15T01:30:15Z'),
        status: 'MEDIATED',
        regionCode: '421303',
        categoryCode: 'GOODS.HOME_APPLIANCES',
        issueType: 'QUALITY',
        violationType: null,
        amountInvolvedFen: 329950,
        amountRecoveredFen: 1234,
        consumerName: '陈先生',
        consumerPhone: '13972881234',
        details: '空调不制冷',
        acceptedAt: at('2024-03-18T01:00:00Z'),
        rejectedAt: null,
        rejectionReason: null,
        mediationStartedAt: at('2024-03-19T02:00:00Z'),
        concludedAt: at('2024-03-29T08:30:00Z'),
        verificationStartedAt: null,
        verificationExtendedAt: null,
        decidedAt: null,
        closedAt: null,
      },
    });
  });

  it('maps the report, rejection and closing columns', () => {
    const report = mapped({ ...BASE, type: 'REPORT', merchant_uscc: MERCHANT, violation_type: 'ADVERTISING', status: 'CASE_FILED', verification_started_at: '2024-03-16 09:00', verification_extended_at: '2024-04-01 09:00', decided_at: '2024-04-20 15:00' });
    expect(report.draft).toMatchObject({
      violationType: 'ADVERTISING',
      verificationStartedAt: at('2024-03-16T01:00:00Z'),
      verificationExtendedAt: at('2024-04-01T01:00:00Z'),
      decidedAt: at('2024-04-20T07:00:00Z'),
    });
    const rejected = mapped({ ...BASE, status: 'REJECTED', rejected_at: '2024-03-18 16:00', rejection_reason: ' 已由法院受理 ' });
    expect(rejected.draft).toMatchObject({ rejectedAt: at('2024-03-18T08:00:00Z'), rejectionReason: '已由法院受理' });
    const closed = mapped({ ...BASE, type: 'CONSULTATION', status: 'CLOSED', closed_at: '2024-03-15 10:00' });
    expect(closed.draft.closedAt).toEqual(at('2024-03-15T02:00:00Z'));
  });

  it('leaves out what a row does not give: no merchant, RECEIVED, no amounts', () => {
    const row = mapped({ external_id: 'C-1', type: 'CONSULTATION', channel: 'HOTLINE', received_at: '2024-03-15 09:30' });
    expect(row.merchantUscc).toBeNull();
    expect(row.draft).toMatchObject({ status: 'RECEIVED', regionCode: null, amountInvolvedFen: undefined, amountRecoveredFen: undefined, details: null });
  });

  it.each([
    ['咨询', 'CONSULTATION'],
    ['投诉', 'COMPLAINT'],
    ['举报', 'REPORT'],
    ['表扬', 'PRAISE'],
    ['complaint', 'COMPLAINT'],
  ])('reads the type %s as %s', (text, type) => {
    expect(mapped({ ...BASE, type: text }).draft.type).toBe(type);
  });

  it.each([
    ['电话', 'HOTLINE'],
    ['网络', 'WEB'],
    ['信件', 'LETTER'],
    ['来访', 'VISIT'],
    ['平台', 'PLATFORM'],
    ['platform', 'PLATFORM'],
  ])('reads the channel %s as %s', (text, channel) => {
    expect(mapped({ ...BASE, channel: text }).draft.channel).toBe(channel);
  });

  it('reads issue and violation types written in Chinese', () => {
    expect(mapped({ ...BASE, issue_type: '预付卡' }).draft.issueType).toBe('PREPAID_CARD');
    expect(mapped({ ...BASE, type: 'REPORT', violation_type: '价格违法' }).draft.violationType).toBe('PRICE');
  });

  it('converts yuan to fen exactly, where floating point would not', () => {
    // 1.13 * 100 is 112.99999999999999 in floating point.
    expect(mapped({ ...BASE, amount_involved_yuan: '1.13', amount_recovered_yuan: '7086800' }).draft).toMatchObject({
      amountInvolvedFen: 113,
      amountRecoveredFen: 708_680_000,
    });
  });

  it('names the column of every bad value', () => {
    const problems = problemsOf({
      external_id: '',
      type: '申诉',
      channel: 'FAX',
      received_at: '15/03/2024',
      merchant_uscc: '91421303760447616A',
      region_code: '4213',
      amount_involved_yuan: '12,800.00',
      amount_recovered_yuan: '-5',
      status: 'DONE',
      accepted_at: '2024-02-30 09:00',
      consumer_name: '名'.repeat(101),
    });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['accepted_at', 'amount_involved_yuan', 'amount_recovered_yuan', 'channel', 'consumer_name', 'external_id', 'merchant_uscc', 'received_at', 'region_code', 'status', 'type'].sort(),
    );
    expect(problems.find((p) => p.field === 'merchant_uscc')!.message).toMatch(/wrong check character/);
    expect(problems.find((p) => p.field === 'external_id')!.message).toBe('is required');
  });

  it('requires type, channel and received time', () => {
    expect(problemsOf({ external_id: 'A' }).map((p) => p.field)).toEqual(['type', 'channel', 'received_at']);
  });

  it('refuses times after now and a closing time on an appeal that is not closed', () => {
    const now = at('2024-03-20T00:00:00Z');
    const result = mapAppealRow({ ...BASE, status: 'ACCEPTED', accepted_at: '2024-03-21 09:00', closed_at: '2024-03-16 09:00' }, now);
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: 'accepted_at', message: '2024-03-21 09:00 is in the future' },
        { field: 'closed_at', message: 'closed_at does not fit status ACCEPTED' },
      ],
    });
  });

  it('refuses an external id with spaces inside', () => {
    expect(problemsOf({ ...BASE, external_id: '12315 001' })).toEqual([{ field: 'external_id', message: 'must not contain spaces' }]);
  });
});

describe('mapping a CSV record by the header', () => {
  const columns: ImportColumn[] = ['external_id', 'type', 'channel', 'received_at'];

  it('maps the fields by the header columns', () => {
    const result = mapRecord(['X-1', '投诉', 'WEB', '2024-03-04 09:00'], columns);
    expect(result).toMatchObject({ ok: true, row: { draft: { externalId: 'X-1', type: 'COMPLAINT', channel: 'WEB', status: 'RECEIVED' }, merchantUscc: null } });
  });

  it('makes a wrong field count and invalid UTF-8 problems of the row', () => {
    expect(mapRecord(['X-1', 'COMPLAINT', 'WEB'], columns)).toEqual({ ok: false, problems: [{ field: 'row', message: 'has 3 fields, the header has 4' }] });
    expect(mapRecord(['X-1', 'COMPLAINT', 'W\uFFFDB', '2024-03-04 09:00'], columns)).toEqual({ ok: false, problems: [{ field: 'row', message: 'is not valid UTF-8' }] });
  });
});

describe('reading times of an export', () => {
  it.each([
    ['2024-03-15 09:30', '2024-03-15T01:30:00.000Z'],
    ['2024-03-15 09:30:45', '2024-03-15T01:30:45.000Z'],
    ['2024/3/5 9:05', '2024-03-05T01:05:00.000Z'],
    ['2024-01-01 00:10', '2023-12-31T16:10:00.000Z'],
    ['2024-03-15T09:30:00', '2024-03-15T01:30:00.000Z'],
    ['2024-03-15T09:30:00+08:00', '2024-03-15T01:30:00.000Z'],
    ['2024-03-15T01:30:00Z', '2024-03-15T01:30:00.000Z'],
    ['2024-03-15T01:30:00.250Z', '2024-03-15T01:30:00.250Z'],
    ['2024-03-14T20:30:00-0500', '2024-03-15T01:30:00.000Z'],
  ])('reads %s as Shanghai wall time or its offset: %s', (text, iso) => {
    expect(parseImportTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['2024-03-15', '2024-02-30 10:00', '2024-03-15 24:00', '2024-03-15 09:60', '2024-03-15T09:30:00+25:00', '15.03.2024 09:30', ''])(
    'refuses %p',
    (text) => {
      expect(parseImportTime(text)).toBeNull();
    },
  );
});

describe('the header row', () => {
  it('accepts the columns in any order, in any case and with a BOM-free name', () => {
    expect(checkHeader([' Received_At', 'channel', 'TYPE', 'external_id'])).toEqual(['received_at', 'channel', 'type', 'external_id']);
    expect(checkHeader([...IMPORT_COLUMNS])).toEqual([...IMPORT_COLUMNS]);
  });

  it('refuses unknown, repeated and missing columns, naming them', () => {
    expect(() => checkHeader([...IMPORT_COLUMNS, 'remark'])).toThrow(/unknown column 'remark'/);
    expect(() => checkHeader(['external_id', 'type', 'channel', 'received_at', 'type'])).toThrow(/type appear more than once/);
    expect(() => checkHeader(['external_id', 'type'])).toThrow(/lacks the required columns channel, received_at/);
  });
});

async function records(source: ImportSource): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of readCsv(source).records) out.push(record);
  return out;
}

async function* chunks(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

describe('reading the CSV file', () => {
  const text = 'external_id,details\n1,"一\n二"\n\n2,三\n3,"x"\n';

  it('gives each record the physical line it starts on, past quoted newlines and empty lines', async () => {
    expect(await records(text)).toEqual([
      { line: 1, fields: ['external_id', 'details'] },
      { line: 2, fields: ['1', '一\n二'] },
      { line: 5, fields: ['2', '三'] },
      { line: 6, fields: ['3', 'x'] },
    ]);
  });

  it('reads the same records and lines from a CRLF file with a BOM', async () => {
    const windows = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]);
    expect(await records(windows)).toEqual(await records(text));
  });

  it('keeps characters and CRLFs whole when the chunks split them', async () => {
    const windows = Buffer.from(`\uFEFF${text.replace(/\n/g, '\r\n')}`);
    // One byte at a time splits every three-byte character and every CRLF.
    expect(await records(chunks(windows, 1))).toEqual(await records(text));
  });

  it('counts the bytes it has read', async () => {
    const csv = readCsv(Buffer.from(text));
    for await (const _ of csv.records) void _;
    expect(csv.bytesRead()).toBe(Buffer.byteLength(text));
  });

  it('fails on a quote that is never closed, naming the line', async () => {
    await expect(records('a,b\n1,"open\n2,3\n')).rejects.toThrow(/Quote Not Closed/);
  });
});

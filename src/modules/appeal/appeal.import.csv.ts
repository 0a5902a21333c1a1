/**
 * The streaming half of the appeal import: bytes in, CSV records with their line numbers out, in
 * bounded memory. Knows nothing of appeals.
 */
import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse, type Info } from 'csv-parse';

/** Where the CSV comes from: a stream (a file), an async iterable of chunks, or the whole text. */
export type ImportSource = NodeJS.ReadableStream | AsyncIterable<string | Buffer> | string | Buffer;

/**
 * Decodes UTF-8 (a character split across chunks stays whole), drops a leading BOM and turns
 * CRLF into LF: csv-parse counts a CRLF inside a quoted field as two lines, which would put
 * every later line number off by one.
 */
class Utf8Lines extends Transform {
  bytes = 0;
  private readonly decoder = new StringDecoder('utf8');
  private started = false;
  private pendingCr = false;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.pushText(this.decoder.write(chunk));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pushText(this.decoder.end());
    if (this.pendingCr) this.push('\r');
    callback();
  }

  private pushText(decoded: string): void {
    let text = (this.pendingCr ? '\r' : '') + decoded;
    this.pendingCr = false;
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR at the end may be the first half of a CRLF split across chunks.
    if (text.endsWith('\r')) {
      this.pendingCr = true;
      text = text.slice(0, -1);
    }
    if (text.length) this.push(text.replace(/\r\n/g, '\n'));
  }
}

function toSource(source: ImportSource): Readable {
  if (source instanceof Readable) return source;
  // Readable.from hands a string or Buffer over whole instead of iterating its characters.
  return Readable.from(source as AsyncIterable<string | Buffer> | string | Buffer);
}

/** One record of a CSV file and the physical line it starts on (1 for the first line). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Streams the records of a UTF-8 CSV file, with or without BOM, LF or CRLF, skipping empty
 * lines. Reads only as fast as `records` is consumed, so a file of any size streams in bounded
 * memory. Malformed CSV (a quote never closed) makes the iteration throw csv-parse's error.
 */
export function readCsv(source: ImportSource): { records: AsyncIterable<CsvRecord>; bytesRead: () => number } {
  const decoder = new Utf8Lines();
  const parser = parse({
    info: true,
    skip_empty_lines: true,
    // Wrong field counts are a row's problem, not the file's; stray quotes inside a field are text.
    relax_column_count: true,
    relax_quotes: true,
  });
  pipeline(toSource(source), decoder, parser, () => {
    // Errors reach the consumer through the parser's iterator.
  });
  async function* records(): AsyncGenerator<CsvRecord> {
    // csv-parse reports the line a record ends on; the next one starts on the line after it,
    // plus the empty lines skipped in between.
    let lastLine = 0;
    let lastEmpty = 0;
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = lastLine + 1 + (info.empty_lines - lastEmpty);
      lastLine = info.lines;
      lastEmpty = info.empty_lines;
      yield { line, fields: record };
    }
  }
  return { records: records(), bytesRead: () => decoder.bytes };
}



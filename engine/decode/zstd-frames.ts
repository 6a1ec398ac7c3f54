// Splits a zstd stream into its frames (RFC 8878 §3.1). Node's zstd decoder stops after the first frame and
// silently drops the rest, so concatenated frames (`cat a.zst b.zst`, pzstd output) each get their own decoder.

export interface FramePiece {
  bytes: Buffer;
  /** The piece completes its frame. */
  frameEnd: boolean;
}

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

const AT_MAGIC = 0;
const AT_DESCRIPTOR = 1;
const AT_HEADER_REST = 2;
const AT_BLOCK_HEADER = 3;
const AT_BLOCK_BODY = 4;
const AT_CHECKSUM = 5;
const AT_SKIPPABLE_SIZE = 6;
const AT_SKIPPABLE_BODY = 7;
/** Bytes that are not a frame: handed to a decoder as they are, which reports them. */
const AT_UNKNOWN = 8;

const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const;

export class ZstdFrameSplitter {
  #at = AT_MAGIC;
  /** Bytes the current fixed-size field still needs, or the length of a block body / skippable frame. */
  #need = 4;
  readonly #field = new Uint8Array(8);
  #fieldLength = 0;
  #hasChecksum = false;
  #lastBlock = false;

  /** True when the input so far ends inside a frame. */
  get midFrame(): boolean {
    return this.#at !== AT_MAGIC || this.#fieldLength > 0;
  }

  split(chunk: Buffer): FramePiece[] {
    const pieces: FramePiece[] = [];
    let pieceStart = 0;
    let i = 0;
    for (;;) {
      const at = this.#at;
      if (at === AT_BLOCK_BODY || at === AT_CHECKSUM || at === AT_SKIPPABLE_BODY) {
        const take = Math.min(this.#need, chunk.length - i);
        i += take;
        this.#need -= take;
        if (this.#need > 0) break;
        if (at === AT_SKIPPABLE_BODY) {
          pieceStart = i;
          this.#expect(AT_MAGIC, 4);
        } else if (at === AT_BLOCK_BODY && !this.#lastBlock) {
          this.#expect(AT_BLOCK_HEADER, 3);
        } else if (at === AT_BLOCK_BODY && this.#hasChecksum) {
          this.#expect(AT_CHECKSUM, 4);
        } else {
          pieces.push({ bytes: chunk.subarray(pieceStart, i), frameEnd: true });
          pieceStart = i;
          this.#expect(AT_MAGIC, 4);
        }
        continue;
      }
      if (at === AT_UNKNOWN) i = chunk.length;
      if (i >= chunk.length) break;
      this.#field[this.#fieldLength++] = chunk[i++]!;
      if (this.#fieldLength < this.#need) continue;
      this.#fieldDone();
      // A magic number split across chunks was held back (it may have been a skippable frame's): replay it.
      if (at === AT_MAGIC && this.#at === AT_DESCRIPTOR && i - pieceStart < 4) {
        pieces.push({ bytes: Buffer.from(this.#field.subarray(0, 4)), frameEnd: false });
        pieceStart = i;
      }
    }
    const holdBack = this.#at === AT_MAGIC || this.#at === AT_SKIPPABLE_SIZE || this.#at === AT_SKIPPABLE_BODY;
    if (!holdBack && pieceStart < chunk.length) pieces.push({ bytes: chunk.subarray(pieceStart), frameEnd: false });
    return pieces;
  }

  #expect(at: number, need: number): void {
    this.#at = at;
    this.#need = need;
    this.#fieldLength = 0;
  }

  #fieldDone(): void {
    const field = this.#field;
    switch (this.#at) {
      case AT_MAGIC: {
        const magic = (field[0]! | (field[1]! << 8) | (field[2]! << 16) | (field[3]! << 24)) >>> 0;
        if (magic === ZSTD_MAGIC) this.#expect(AT_DESCRIPTOR, 1);
        else if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) this.#expect(AT_SKIPPABLE_SIZE, 4);
        else this.#expect(AT_UNKNOWN, 0);
        return;
      }
      case AT_DESCRIPTOR: {
        const descriptor = field[0]!;
        const singleSegment = (descriptor & 0x20) !== 0;
        const contentSizeFlag = descriptor >> 6;
        this.#hasChecksum = (descriptor & 0x04) !== 0;
        const rest = (singleSegment ? 0 : 1) + DICTIONARY_ID_BYTES[descriptor & 0x03]! +
          (contentSizeFlag === 0 && singleSegment ? 1 : CONTENT_SIZE_BYTES[contentSizeFlag]!);
        if (rest === 0) this.#expect(AT_BLOCK_HEADER, 3);
        else this.#expect(AT_HEADER_REST, rest);
        return;
      }
      case AT_HEADER_REST:
        this.#expect(AT_BLOCK_HEADER, 3);
        return;
      case AT_BLOCK_HEADER: {
        const header = field[0]! | (field[1]! << 8) | (field[2]! << 16);
        this.#lastBlock = (header & 1) !== 0;
        const type = (header >> 1) & 3;
        const size = header >>> 3;
        const body = type === 1 ? 1 : size;
        if (type === 3) this.#expect(AT_UNKNOWN, 0);
        else this.#expect(AT_BLOCK_BODY, body);
        return;
      }
      case AT_SKIPPABLE_SIZE:
        this.#expect(AT_SKIPPABLE_BODY, (field[0]! | (field[1]! << 8) | (field[2]! << 16) | (field[3]! << 24)) >>> 0);
        return;
    }
  }
}

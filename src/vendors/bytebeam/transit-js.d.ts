// transit-js ships no TypeScript types; this declares only the part of its API keyforge uses
// (and the Bytebeam tests, which decode answers the way a transit client does).
declare module 'transit-js' {
  interface Long {
    toString(radix?: number): string;
  }
  interface Keyword {
    name(): string;
    namespace(): string | null;
    /** `:name` or `:ns/name`. */
    toString(): string;
  }
  interface UUID {
    toString(): string;
    getMostSignificantBits(): Long;
    getLeastSignificantBits(): Long;
  }
  interface TransitMap {
    readonly size: number;
    forEach(callback: (value: unknown, key: unknown) => void): void;
    get(key: unknown): unknown;
  }
  type ReadHandler = (rep: unknown) => unknown;
  interface Reader {
    read(text: string): unknown;
  }
  interface Writer {
    /** The transit JSON text. */
    write(value: unknown): string;
    /** The marshalled tree (arrays, strings, numbers) before it becomes JSON text. */
    write(value: unknown, options: { marshalTop: false }): unknown;
  }
  interface ReadCache {
    clear(): void;
  }
  interface Decoder {
    /** Decodes an already parsed transit tree (JSON.parse or msgpack output). */
    decode(node: unknown, cache: ReadCache): unknown;
  }
  interface Transit {
    reader(type: 'json' | 'json-verbose', options?: { handlers?: Record<string, ReadHandler> }): Reader;
    writer(type: 'json' | 'json-verbose', options?: Record<string, unknown>): Writer;
    decoder(options?: { handlers?: Record<string, ReadHandler> }): Decoder;
    readCache(): ReadCache;
    keyword(name: string): Keyword;
    isKeyword(value: unknown): value is Keyword;
    uuid(text: string): UUID;
    isUUID(value: unknown): value is UUID;
    map(entries?: unknown[]): TransitMap;
    isMap(value: unknown): value is TransitMap;
    isTaggedValue(value: unknown): value is { tag: string; rep: unknown };
  }
  const transit: Transit;
  export default transit;
  export type { Decoder, Keyword, Long, Reader, ReadCache, TransitMap, UUID, Writer };
}

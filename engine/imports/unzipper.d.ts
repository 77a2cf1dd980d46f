/**
 * The slice of unzipper 0.10 that Liuzhuan uses (the package ships no types): its central-
 * directory reader, which opens any entry of a zip without reading the others.
 */
declare module 'unzipper' {
  import type { Readable } from 'node:stream';

  export interface CentralDirectoryFile {
    path: string;
    stream(): Readable;
  }
  export const Open: {
    file(path: string): Promise<{ files: CentralDirectoryFile[] }>;
  };
}

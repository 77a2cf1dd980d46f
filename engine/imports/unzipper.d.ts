/**
 * The slice of unzipper 0.10 that Liuzhuan uses (the package ships no types): its central-
 * directory reader, which opens one entry of a zip without reading the others.
 */
declare module 'unzipper' {
  export interface CentralDirectoryFile {
    path: string;
    buffer(): Promise<Buffer>;
  }
  export const Open: {
    file(path: string): Promise<{ files: CentralDirectoryFile[] }>;
  };
}

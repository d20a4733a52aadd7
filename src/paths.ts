import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The project root (where package.json and views/ live), from src/ or from dist/src/. */
function findRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

const ROOT = findRoot();

export function projectPath(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}

import { readFileSync } from 'node:fs';
import { projectPath } from './paths';

export const APP_VERSION: string = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version;

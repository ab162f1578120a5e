// Lets Cucumber import TypeScript step definitions (tsx's ESM loader).
import { register } from 'tsx/esm/api';
register();

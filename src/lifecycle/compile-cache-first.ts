// Imported first by register.ts: enables the compile cache as this module is evaluated, i.e. before
// the modules imported after it run their top-level requires (in the bundle as in dist/src/).
import { enableCompileCache } from './compile-cache.js';

enableCompileCache();

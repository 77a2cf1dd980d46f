/** Generated hostile input to the admin write routes: see test/helpers/fuzz/ and docs/security.md. */
import { fuzzSuite } from '../helpers/fuzz/suite.ts';

fuzzSuite('admin');

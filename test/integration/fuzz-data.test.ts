/** Generated hostile input to the data write routes: see test/helpers/fuzz/ and docs/security.md. */
import { fuzzSuite } from '../helpers/fuzz/suite.ts';

fuzzSuite('data');

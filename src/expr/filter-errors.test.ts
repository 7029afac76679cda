/**
 * Error cases: each malformed or ill-typed filter throws MilvusError 1100 whose message starts with
 * its column and says what to do. Plus a fuzz test: arbitrary and mutated input never throws
 * anything but such an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MilvusError } from '../core/errors.js';
import type { CollectionSchema } from '../core/schema.js';
import { field, makeSegment, schema } from './fixture.test.js';
import { DataType } from '../core/data-type.js';
import { compileFilter } from './index.js';

const noDynamic: CollectionSchema = { ...schema, enableDynamicField: false, fields: schema.fields.filter((f) => !f.isDynamic) };
const plain: CollectionSchema = { name: 'p', description: '', enableDynamicField: false, fields: [field('pk', DataType.VarChar, { isPrimaryKey: true }), field('n', DataType.Int32)] };

type ErrCase = [text: string, message: RegExp, opts?: { schema?: CollectionSchema; params?: Record<string, unknown> }];

const ERRORS: ErrCase[] = [
  ['', /^column 1: filter expression is empty/],
  ['   ', /^column 1: filter expression is empty/],
  ['age >', /^column 6: syntax error at end of expression/],
  ['age > 30 and', /^column 13: syntax error at end of expression; expected a field, constant/],
  ['age >> 3 == 1', /^column 5: bitwise operator ">>" is not supported/],
  ['age & 1 == 1', /^column 5: bitwise operator "&" is not supported/],
  ['~age == 1', /^column 1: bitwise operator "~" is not supported/],
  ['(age > 30', /^column 10: syntax error at end of expression; expected an operator or "\)"/],
  ['age > 30)', /^column 9: syntax error at "\)"/],
  ['age = 30', /^column 5: syntax error/],
  ['name == "unterminated', /^column 22: syntax error at end of expression; expected a closing quote/],
  ['age > 30 30', /^column 10: syntax error at "30"/],
  ['1 < age < 2 < 3', /^column 13: a comparison chain takes at most two operators/],
  ['1 < age > 0', /^column 3: a range must use the same direction twice/],
  ['1 < 2 < age', /^column 3: a range needs constants on the outside and a field in the middle/],
  ['name == 3', /^column 6: cannot compare VarChar field "name" with number/],
  ['age == "x"', /^column 5: cannot compare Int64 field "age" with string/],
  ['age > true', /^column 5: booleans support only == and !=/],
  ['flag > false', /^column 6: booleans support only == and !=/],
  ['flag == 1', /^column 6: cannot compare Bool field "flag" with number/],
  ['tags == "x"', /^column 6: cannot compare Array field "tags" with string; use array_contains/],
  ['age == [1, 2]', /^column 5: cannot compare Int64 field "age" with list; use "in \[...\]"/],
  ['age in 5', /^column 5: "in" needs a list of constants/],
  ['age in [1, name]', /^column 12: list items must be constants; got VarChar field "name"/],
  ['name in [1, 2]', /^column 6: cannot compare VarChar field "name" with number/],
  ['age like "1%"', /^column 5: "like" matches strings; Int64 field "age" is not a string/],
  ['name like 5', /^column 6: "like" needs a string pattern/],
  ['nope > 1', /^column 1: field "nope" does not exist in collection "people" \(and the dynamic field is not enabled\)/, { schema: noDynamic }],
  ['$meta["a"] > 1', /^column 1: \$meta is only available when the collection has the dynamic field enabled/, { schema: noDynamic }],
  ['vec > 1', /^column 1: vector field "vec" cannot be used in a filter/],
  ['age["x"] > 1', /^column 1: field "age" is Int64, not JSON or Array: it cannot be indexed with \["x"\]/],
  ['tags["x"] == "a"', /^column 1: Array field "tags" takes one integer index/],
  ['tags[0][1] == "a"', /^column 1: Array field "tags" takes one integer index/],
  ['age', /^column 1: Int64 field "age" is not a boolean condition; compare it/],
  ['meta["a"]', /^column 1: JSON value meta\["a"\] is not a boolean condition/],
  ['5', /^column 1: the filter needs a boolean condition here, got number/],
  ['"abc"', /^column 1: the filter needs a boolean condition here, got string/],
  ['age + 1', /^column 5: the filter needs a boolean condition here, got arithmetic expression/],
  ['not age > 30', /^column 1: "not" applies to a condition and binds tighter than comparisons: write not \(a > 1\)/],
  ['-flag == 1', /^column 1: "-" needs numbers, but Bool field "flag" is not numeric/],
  ['name + 1 == 2', /^column 6: "\+" needs numbers, but VarChar field "name" is not numeric/],
  ['score % 2 == 1', /^column 7: the modulo operator % takes integers only; Double field "score" is not/],
  ['age / 0 == 1', /^column 5: division by zero/],
  ['age % 0 == 1', /^column 5: modulo by zero/],
  ['1 / 0 == 1', /^column 3: division by zero/],
  ['1.5 % 2 == 1', /^column 5: the modulo operator % takes integers only/],
  ['(age > 1) == true', /^column 6: a condition cannot be used as a value here/],
  ['exists age', /^column 1: exists takes a JSON key, e.g. exists meta\["key"\]; got Int64 field "age"/],
  ['exists meta', /^column 1: exists takes a JSON key/],
  ['exists 5', /^column 1: exists takes a JSON key/],
  ['json_contains(age, 1)', /^column 1: json_contains takes an Array field or a JSON value first; got Int64 field "age"/],
  ['json_contains(meta)', /^column 1: json_contains takes 2 arguments, got 1/],
  ['json_contains_all(meta["list"], 1)', /^column 1: json_contains_all needs a list as its second argument/],
  ['array_contains(tags, 1)', /^column 1: cannot compare VarChar element tags\[0\] with number/],
  ['array_contains(nums, "a")', /^column 1: cannot compare Int64 element nums\[0\] with string/],
  ['array_contains(tags, name)', /^column 22: array_contains needs a constant second argument; got VarChar field "name"/],
  ['array_length(tags)', /^column 1: array_length\(\.\.\.\) is a number; compare it/],
  ['array_length(age) > 1', /^column 1: array_length takes an Array field or a JSON array; got Int64 field "age"/],
  ['text_match(name, "a")', /^column 1: text_match needs a VarChar field with enable_analyzer and enable_match set; "name" is not one/],
  ['text_match(body, "a", minimum_should_match=0)', /^column 23: minimum_should_match should be >= 1, got 0/],
  ['TEXT_MATCH(body, "a b", minimum_should_match=1001)', /^column 25: minimum_should_match should be <= 1000, got 1001/],
  ['text_match(body, "a", minimum_should_match=1.5)', /^column 23: minimum_should_match should be a constant integer/],
  ['text_match(body, "a", minimum_should_match=age)', /^column 44: minimum_should_match should be a constant integer; got Int64 field "age"/],
  ['text_match(body, "a", foo=1)', /^column 23: text_match has no option "foo"; the only option is minimum_should_match/],
  ['text_match(body, 5)', /^column 1: text_match needs a string as its second argument/],
  ['text_match(body, name)', /^column 18: text_match needs a string as its second argument; got VarChar field "name"/],
  ['text_match(body)', /^column 1: text_match takes text_match\(field, "text"\[, minimum_should_match=N\]\)/],
  ['text_match(body, "a", "b")', /^column 1: text_match takes text_match\(field/],
  ['phrase_match(body, "a b", -1)', /^column 27: the slop of phrase_match should not be negative, got -1/],
  ['phrase_match(body, "a b", 1.5)', /^column 27: the slop of phrase_match should be a constant integer/],
  ['phrase_match(body, "a b", 4294967296)', /^column 27: the slop of phrase_match exceeds the uint32 range, got 4294967296/],
  ['phrase_match(body, "a b", slop=1)', /^column 1: phrase_match takes phrase_match\(field, "phrase"\[, slop\]\)/],
  ['phrase_match(body, "a b", 1, 2)', /^column 1: phrase_match takes/],
  ['phrase_match(name, "a b")', /^column 1: phrase_match needs a VarChar field with enable_analyzer/],
  ['random_sample(0.1)', /^column 1: random_sample is not supported/],
  ['frobnicate(age)', /^column 1: unknown function frobnicate; known: json_contains/],
  ['age > {min}', /^column 7: template variable \{min\} has no value: pass it in filter_params/],
  ['age > {min}', /^column 7: template variable \{min\} has no value/, { params: { max: 1 } }],
  ['age > {min}', /^column 7: template variable \{min\} has a value of type object/, { params: { min: { a: 1 } } }],
  ['age > {min}', /^column 7: template variable \{min\} has a value of type null/, { params: { min: null } }],
  ['age > {min}', /^column 7: template variable \{min\} is NaN/, { params: { min: NaN } }],
  ['{x}', /^column 1: template variable \{x\} stands alone as a condition, so it must be a boolean/, { params: { x: 1 } }],
  ['name == {x}', /^column 6: cannot compare VarChar field "name" with number/, { params: { x: 1 } }],
  ['age > 1\n  and nope(', /^line 2, column 12: syntax error at end of expression/],
  ['n > 1 and pk == 3', /^column 14: cannot compare VarChar field "pk" with number/, { schema: plain }],
  ['a' + ' and a'.repeat(800000), /^column 1: filter expression is \d+ characters long, the limit is 4194304/],
];

function expectError(text: string, message: RegExp, s: CollectionSchema, params?: Record<string, unknown>): void {
  assert.throws(
    () => compileFilter(text, s, params),
    (err: unknown) => {
      assert.ok(err instanceof MilvusError, `${text}: not a MilvusError: ${String(err)}`);
      assert.equal(err.code, 1100, text);
      assert.match(err.message, message, `${JSON.stringify(text)} gave: ${err.message}`);
      return true;
    },
  );
}

test(`filter errors: ${ERRORS.length} malformed or ill-typed filters give 1100 with position`, () => {
  for (const [text, message, opts] of ERRORS) expectError(text, message, opts?.schema ?? schema, opts?.params);
});

test('filter errors: deep nesting is an error, not a crash', () => {
  const deep = '('.repeat(20000) + 'age > 1' + ')'.repeat(20000);
  expectError(deep, /^column 1: /, schema);
});

const FRAGMENTS = [
  'age', 'name', 'meta["a"]', 'tags', 'tags[0]', 'color', '$meta', '"s"', "'t'", '1', '2.5', '-3', '0x1f', 'true', '[1, 2]', '[]', '{p}',
  '==', '!=', '<', '<=', '>', '>=', 'and', 'or', 'not', '!', '&&', '||', 'in', 'not in', 'like', '+', '-', '*', '/', '%', '**',
  '(', ')', '[', ']', ',', 'is null', 'is not null', 'exists', 'json_contains(', 'array_length(', 'array_contains_any(', 'text_match(',
  '&', '|', '^', '~', '<<', '"', '\\', '{', '}', '$', '=', '#', '\n',
];

test('filter fuzz: random token soup and random text only ever throw MilvusError 1100 with a column', () => {
  const seg = makeSegment();
  const check = (text: string): void => {
    try {
      compileFilter(text, schema, { p: 3 }).evaluate(seg);
    } catch (err) {
      assert.ok(err instanceof MilvusError, `${JSON.stringify(text)} threw ${String(err)}`);
      assert.equal(err.code, 1100);
      assert.match(err.message, /^(line \d+, )?column \d+: /, `${JSON.stringify(text)}: ${err.message}`);
    }
  };
  fc.assert(fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }), (parts) => check(parts.join(' '))), { numRuns: 1500, seed: 7 });
  fc.assert(fc.property(fc.string({ maxLength: 40 }), check), { numRuns: 800, seed: 11 });
  fc.assert(fc.property(fc.string({ maxLength: 30, unit: 'binary' }), check), { numRuns: 300, seed: 13 });
});

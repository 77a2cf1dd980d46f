/**
 * What a new password must be (create user, change password, ADMIN_PASSWORD): at least 8
 * characters, of at least two kinds (lower case, upper case, digits, anything else), not one
 * of the passwords every guessing list starts with, and not the username with a few
 * characters around it. Existing hashes are not re-checked; demo users (server/bootstrap.ts)
 * are created directly with their documented demo password.
 */
import { ValidationError } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';

export const MIN_PASSWORD_LENGTH = 8;
/** A password that contains the username needs this many characters besides it. */
const MIN_CHARACTERS_BESIDES_USERNAME = 6;

/** The most common passwords of at least 8 characters in public leak statistics (compared case-insensitively). */
const COMMON_PASSWORDS = new Set([
  'password', 'password1', 'password12', 'password123', 'password!', 'p@ssw0rd', 'p@ssword', 'passw0rd', 'password@123',
  '12345678', '123456789', '1234567890', '0123456789', '87654321', '11111111', '00000000', '88888888', '66666666',
  '12341234', '11223344', '12121212', '123123123', '147258369', '123qweasd', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t',
  'qwertyui', 'qwertyuiop', 'qwerty123', 'qwerty12', 'qwe12345', 'qwe123456', 'asdfghjk', 'asdf1234', 'zxcvbnm1',
  'abc12345', 'abcd1234', 'a1234567', 'a12345678', 'aa123456', 'aa12345678', 'a123456789', 'abcdefgh', 'abcdefg1',
  'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'welcome1', 'welcome123', 'trustno1',
  'superman', 'whatever', 'starwars', 'dragon123', 'monkey123', 'letmein1', 'changeme', 'changeme1', 'computer',
  'admin123', 'admin1234', 'admin12345', 'admin@123', 'administrator', 'root1234', 'test1234', 'testtest', 'user1234',
  'woaini1314', 'woaini520', '5201314520', 'wangyang', 'zhang123', 'liuzhuan', 'liuzhuan123', 'demo1234', 'default1',
]);

function kindsOf(password: string): number {
  const kinds = new Set<string>();
  for (const char of password) {
    if (/[a-z]/.test(char)) kinds.add('lower');
    else if (/[A-Z]/.test(char)) kinds.add('upper');
    else if (/[0-9]/.test(char)) kinds.add('digit');
    else kinds.add('other');
  }
  return kinds.size;
}

/** Every rule the password breaks, in the caller's language; empty when it is acceptable. */
export function passwordProblems(password: string, username: string | undefined, locale: MessageLocale): string[] {
  const en = locale === 'en';
  const problems: string[] = [];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    problems.push(en ? `must be at least ${MIN_PASSWORD_LENGTH} characters long` : `至少 ${MIN_PASSWORD_LENGTH} 个字符`);
  }
  if (kindsOf(password) < 2) {
    problems.push(en ? 'must mix at least two kinds of characters (letters, digits, symbols, upper case)' : '须包含至少两类字符（字母、数字、符号、大写字母）');
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    problems.push(en ? 'is one of the most common passwords' : '是最常见的密码之一');
  }
  const name = username?.toLowerCase();
  if (name && password.toLowerCase().includes(name) && length - [...name].length < MIN_CHARACTERS_BESIDES_USERNAME) {
    problems.push(en ? 'must not be (nearly) the username' : '不能是（或几乎是）用户名');
  }
  return problems;
}

/** 422 `weak_password` naming each broken rule at `pointer`. */
export function assertAcceptablePassword(password: string, username: string | undefined, locale: MessageLocale, pointer = '/password'): void {
  const problems = passwordProblems(password, username, locale);
  if (problems.length === 0) return;
  const summary = locale === 'en' ? 'The password is too weak' : '密码强度不够';
  throw new ValidationError(summary, problems.map((message) => ({ pointer, message })), 'weak_password');
}

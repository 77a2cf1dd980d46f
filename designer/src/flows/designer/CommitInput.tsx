/**
 * A text box that writes to the model on blur or Enter, not on every key: each commit is one
 * undo step and the canvas label is not redrawn per keystroke. It follows outside changes
 * (undo, another selection) because the parent keys it by element and value.
 */
import { Input } from 'antd';
import { useState } from 'react';

export interface CommitInputProps {
  value: string;
  onCommit(value: string): void;
  placeholder?: string;
  testId: string;
  status?: 'error';
  /** Refuse the commit (the box keeps the text and shows the error status). */
  validate?: (value: string) => boolean;
}

export function CommitInput({ value, onCommit, placeholder, testId, status, validate }: CommitInputProps) {
  const [text, setText] = useState(value);
  const invalid = validate ? !validate(text) : false;
  const commit = () => {
    if (text !== value && !invalid) onCommit(text);
  };
  return (
    <Input
      value={text}
      placeholder={placeholder}
      status={status ?? (invalid ? 'error' : undefined)}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onPressEnter={commit}
      data-testid={testId}
    />
  );
}

/**
 * Pick a colleague by name: a searchable select over GET /api/users; when the list cannot
 * be read it degrades to a plain username input.
 */
import { Input, Select } from 'antd';
import { useUsers } from '../instances/data.ts';

interface Props {
  value?: string | string[];
  onChange(value: string | string[]): void;
  multiple?: boolean;
  exclude?: string[];
  placeholder?: string;
  testid: string;
}

export function UserSelect({ value, onChange, multiple, exclude = [], placeholder, testid }: Props) {
  const users = useUsers().filter((user) => user.active !== false && !exclude.includes(user.username));
  if (users.length === 0 && !multiple) {
    return <Input value={value as string} onChange={(event) => onChange(event.target.value.trim())} placeholder={placeholder} data-testid={testid} />;
  }
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      mode={multiple ? (users.length ? 'multiple' : 'tags') : undefined}
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      style={{ width: '100%' }}
      data-testid={testid}
      options={users.map((user) => ({ value: user.username, label: `${user.displayName || user.username} (${user.username})` }))}
    />
  );
}

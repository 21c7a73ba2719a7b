// The vendor picker every form and filter of the console shows. `all` names a first option
// whose value is '' (every vendor); without it one vendor must be chosen.
export function VendorSelect({
  name,
  value,
  vendors,
  all,
  onChange,
}: {
  name: string;
  value: string;
  vendors: string[];
  all?: string;
  onChange(vendor: string): void;
}) {
  return (
    <label>
      Vendor
      <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {all !== undefined && <option value="">{all}</option>}
        {vendors.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

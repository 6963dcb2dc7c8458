import { matchesWhere, parseWhere, WhereParseError } from './where-expression.parser';

const contacts = [
  {
    ContactID: 'a1',
    Name: 'Smith & Sons',
    ContactNumber: 'oc-1',
    EmailAddress: 'Jo@Example.com',
    ContactStatus: 'ACTIVE',
  },
  {
    ContactID: 'b2',
    Name: 'Ann "Quote" Lee',
    ContactNumber: 'oc-2',
    EmailAddress: 'ann@example.com',
    ContactStatus: 'ARCHIVED',
  },
  { ContactID: 'c3', Name: 'Carl', ContactNumber: null, EmailAddress: '', ContactStatus: 'ACTIVE' },
];
const ids = (where: string) =>
  contacts.filter((c) => matchesWhere(parseWhere(where), c)).map((c) => c.ContactID);

describe('where expressions', () => {
  it('matches the equality forms a client uses, ignoring case', () => {
    expect(ids('ContactNumber=="oc-1"')).toEqual(['a1']);
    expect(ids('Name=="smith & sons"')).toEqual(['a1']);
    expect(ids('EmailAddress=="jo@example.com"')).toEqual(['a1']);
    expect(ids('Name=="Ann \\"Quote\\" Lee"')).toEqual(['b2']);
  });

  it('combines with OR / AND / NOT and parentheses, AND binding tighter', () => {
    expect(ids('ContactNumber=="oc-1" OR ContactNumber=="oc-2"')).toEqual(['a1', 'b2']);
    expect(ids('ContactNumber=="oc-1" || Name=="Carl"')).toEqual(['a1', 'c3']);
    expect(ids('ContactStatus=="ACTIVE" AND Name=="Carl"')).toEqual(['c3']);
    expect(ids('Name=="Carl" OR Name=="Ann \\"Quote\\" Lee" AND ContactStatus=="ACTIVE"')).toEqual(['c3']);
    expect(ids('(Name=="Carl" OR Name=="Ann \\"Quote\\" Lee") AND ContactStatus=="ARCHIVED"')).toEqual([
      'b2',
    ]);
    expect(ids('NOT (ContactStatus=="ACTIVE")')).toEqual(['b2']);
    expect(ids('ContactNumber==null')).toEqual(['c3']);
    expect(ids('ContactNumber!=null && ContactStatus!="ARCHIVED"')).toEqual(['a1']);
  });

  it('supports nested paths, numbers, Guid(), DateTime() and string methods', () => {
    const inv = {
      Contact: { ContactID: 'AB-1' },
      AmountDue: 10,
      Date: '/Date(1700000000000+0000)/',
      Reference: 'Order 42',
    };
    expect(matchesWhere(parseWhere('Contact.ContactID==Guid("ab-1")'), inv)).toBe(true);
    expect(matchesWhere(parseWhere('AmountDue > 5 AND AmountDue <= 10'), inv)).toBe(true);
    expect(matchesWhere(parseWhere('Date >= DateTime(2023, 11, 14)'), inv)).toBe(true);
    expect(matchesWhere(parseWhere('Date > DateTime(2023, 11, 15)'), inv)).toBe(false);
    expect(matchesWhere(parseWhere('Reference.Contains("order")'), inv)).toBe(true);
    expect(matchesWhere(parseWhere('Reference.StartsWith("x")'), inv)).toBe(false);
  });

  it('rejects malformed expressions with a message naming the position', () => {
    expect(() => parseWhere('Name="x"')).toThrow(WhereParseError);
    expect(() => parseWhere('Name=="x')).toThrow(/Unterminated string/);
    expect(() => parseWhere('(Name=="x"')).toThrow(/Expected '\)'/);
    expect(() => parseWhere('Name=="x" Name')).toThrow(/Unexpected 'Name' at position 10/);
  });
});

// server/epj/copayFacts.ts readCopayFacts (issue 19 point 2): Patient and Coverage are asked for together,
// one round trip to the EPJ instead of two; an unknown patient is still "no such patient" whatever Coverage
// answered, and a refused Coverage is still "unknown, refused". The EPJ is a stand-in that answers only when
// the test says so, so nothing depends on timing.
import { describe, expect, test, vi } from 'vitest';
import { readCopayFacts } from '../../../server/epj/copayFacts';
import { READ_EVERYTHING } from '../../../server/epj/capabilities';

const BASE = 'http://epj.test/fhir';

function heldEpj() {
  const asked: { path: string; answer: (res: Response) => void }[] = [];
  const get = (url: URL) => new Promise<Response>((answer) => asked.push({ path: `${url.pathname.replace('/fhir', '')}${url.search}`, answer }));
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });
  const answer = (prefix: string, res: Response) => {
    const found = asked.find((a) => a.path.startsWith(prefix));
    if (!found) throw new Error(`not asked: ${prefix}`);
    found.answer(res);
  };
  return { asked, get, json, answer };
}

const frikort = {
  resourceType: 'Coverage',
  id: 'cov-1',
  status: 'active',
  beneficiary: { reference: 'Patient/pat-1' },
  type: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7461', code: 'F' }] },
  period: { start: '2026-06-01', end: '2026-12-31' },
};

describe('readCopayFacts', () => {
  test('asks for Patient and Coverage before either has answered', async () => {
    const epj = heldEpj();
    const facts = readCopayFacts(epj.get, BASE, 'pat-1', READ_EVERYTHING);
    // The Patient by a search on _id: the same read the panel's target groups make, so the panel reads it once.
    await vi.waitFor(() => expect(epj.asked.map((a) => a.path).sort()).toEqual(['/Coverage?beneficiary=Patient%2Fpat-1&_count=100', '/Patient?_id=pat-1']));
    epj.answer('/Coverage', epj.json({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: frikort }] }));
    epj.answer('/Patient', epj.json({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: 'pat-1', birthDate: '1950-05-05' } }] }));
    expect(await facts).toEqual({ birthDate: '1950-05-05', exemptions: [{ code: 'F', from: '2026-06-01', to: '2026-12-31' }], exemptionsKnown: true });
  });

  test('an unknown patient is undefined even when Coverage failed; a refused Coverage is unknown, refused', async () => {
    const missing = heldEpj();
    const none = readCopayFacts(missing.get, BASE, 'pat-x', READ_EVERYTHING);
    await vi.waitFor(() => expect(missing.asked).toHaveLength(2));
    missing.answer('/Coverage', missing.json({ resourceType: 'OperationOutcome' }, 500));
    missing.answer('/Patient', missing.json({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
    expect(await none).toBeUndefined();

    const refused = heldEpj();
    const facts = readCopayFacts(refused.get, BASE, 'pat-1', READ_EVERYTHING);
    await vi.waitFor(() => expect(refused.asked).toHaveLength(2));
    refused.answer('/Coverage', refused.json({ resourceType: 'OperationOutcome' }, 403));
    refused.answer('/Patient', refused.json({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: 'pat-1', birthDate: '1950-05-05' } }] }));
    expect(await facts).toEqual({ birthDate: '1950-05-05', exemptions: [], exemptionsKnown: false, unknownReason: 'refused' });
  });
});

// Common Norwegian names (SSB's lists, by generation) and streets around Torshov/Sagene in Oslo with
// plausible postnummer. All people are synthetic; any likeness to a real person is chance.

export const FAMILY_NAMES = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen',
  'Karlsen', 'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen',
  'Jacobsen', 'Dahl', 'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen',
  'Gundersen', 'Iversen', 'Strand', 'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen',
  'Bakken', 'Kristoffersen', 'Mathisen', 'Lie', 'Amundsen', 'Nguyen', 'Rasmussen', 'Ali', 'Lunde',
  'Solheim', 'Berge', 'Moe', 'Nygård', 'Bakke', 'Kristensen', 'Fredriksen', 'Holm', 'Lien', 'Hauge',
  'Christensen', 'Andresen', 'Nielsen', 'Knudsen', 'Evensen', 'Sæther', 'Aas', 'Myhre', 'Hanssen',
  'Ahmed', 'Haugland', 'Thomassen', 'Sivertsen', 'Simonsen', 'Danielsen', 'Berntsen', 'Sandvik',
  'Rønning', 'Arnesen', 'Antonsen', 'Næss', 'Vik', 'Haug', 'Ellingsen', 'Thorsen', 'Edvardsen',
  'Birkeland', 'Isaksen', 'Gulbrandsen', 'Ruud', 'Aasen', 'Strøm', 'Myklebust', 'Tangen', 'Ødegård',
  'Eliassen', 'Helland', 'Bøe', 'Aune', 'Mikkelsen', 'Tveit', 'Brekke', 'Abrahamsen', 'Madsen',
  'Khan', 'Hussain', 'Kowalski', 'Nowak', 'Tran', 'Yilmaz', 'Mohamed', 'Hassan',
] as const;

type NamesBySex = { readonly female: readonly string[]; readonly male: readonly string[] };

/** Given names by birth cohort, so a 90-year-old is Solveig and a 5-year-old is Nora. */
export const GIVEN_NAMES: { readonly before1950: NamesBySex; readonly from1950: NamesBySex; readonly from1985: NamesBySex } = {
  before1950: {
    female: ['Kari', 'Ingrid', 'Liv', 'Solveig', 'Astrid', 'Randi', 'Bjørg', 'Gerd', 'Ragnhild', 'Marit',
      'Berit', 'Inger', 'Aud', 'Karin', 'Turid', 'Else', 'Jorunn', 'Margit', 'Sigrid', 'Gunvor'],
    male: ['Ole', 'Per', 'Kjell', 'Arne', 'Knut', 'Hans', 'Odd', 'Rolf', 'Leif', 'Einar', 'Harald',
      'Bjørn', 'Svein', 'Thor', 'Olav', 'Nils', 'Johan', 'Egil', 'Gunnar', 'Reidar'],
  },
  from1950: {
    female: ['Anne', 'Hilde', 'Kristin', 'Heidi', 'Elisabeth', 'Tone', 'Nina', 'Hanne', 'Marianne', 'Eva',
      'Silje', 'Camilla', 'Ingvild', 'Kristine', 'Linda', 'Mona', 'Trine', 'Ida', 'Marte', 'Siri'],
    male: ['Jan', 'Geir', 'Terje', 'Morten', 'Lars', 'Tor', 'Trond', 'Espen', 'Thomas', 'Anders',
      'Martin', 'Andreas', 'Kristian', 'Stian', 'Erik', 'Rune', 'Frode', 'Håkon', 'Marius', 'Øyvind'],
  },
  from1985: {
    female: ['Nora', 'Emma', 'Sofie', 'Ingrid', 'Sara', 'Maja', 'Ella', 'Olivia', 'Leah', 'Thea', 'Julie',
      'Emilie', 'Ida', 'Hedda', 'Frida', 'Aurora', 'Selma', 'Amalie', 'Tiril', 'Vilde'],
    male: ['Jakob', 'Emil', 'Noah', 'Oliver', 'Filip', 'William', 'Lucas', 'Henrik', 'Aksel', 'Oskar',
      'Magnus', 'Isak', 'Elias', 'Tobias', 'Sander', 'Mathias', 'Jonas', 'Kasper', 'Ludvig', 'Johannes'],
  },
};

export function givenNamesFor(birthYear: number, sex: 'male' | 'female'): readonly string[] {
  const cohort = birthYear < 1950 ? GIVEN_NAMES.before1950 : birthYear < 1985 ? GIVEN_NAMES.from1950 : GIVEN_NAMES.from1985;
  return cohort[sex];
}

export interface Street {
  readonly name: string;
  readonly postalCode: string;
  readonly city: string;
  readonly maxNumber: number;
}

export const STREETS: readonly Street[] = [
  { name: 'Sandakerveien', postalCode: '0477', city: 'OSLO', maxNumber: 120 },
  { name: 'Vogts gate', postalCode: '0474', city: 'OSLO', maxNumber: 80 },
  { name: 'Torshovgata', postalCode: '0476', city: 'OSLO', maxNumber: 40 },
  { name: 'Hegermanns gate', postalCode: '0478', city: 'OSLO', maxNumber: 30 },
  { name: 'Bentsegata', postalCode: '0465', city: 'OSLO', maxNumber: 20 },
  { name: 'Sagveien', postalCode: '0459', city: 'OSLO', maxNumber: 30 },
  { name: 'Maridalsveien', postalCode: '0458', city: 'OSLO', maxNumber: 200 },
  { name: 'Arendalsgata', postalCode: '0463', city: 'OSLO', maxNumber: 40 },
  { name: 'Åsengata', postalCode: '0480', city: 'OSLO', maxNumber: 20 },
  { name: 'Grefsenveien', postalCode: '0485', city: 'OSLO', maxNumber: 100 },
  { name: 'Kjelsåsveien', postalCode: '0488', city: 'OSLO', maxNumber: 160 },
  { name: 'Ullevålsveien', postalCode: '0454', city: 'OSLO', maxNumber: 110 },
  { name: 'Tåsenveien', postalCode: '0873', city: 'OSLO', maxNumber: 90 },
  { name: 'Nordbergveien', postalCode: '0875', city: 'OSLO', maxNumber: 60 },
  { name: 'Thereses gate', postalCode: '0358', city: 'OSLO', maxNumber: 50 },
  { name: 'Kierschows gate', postalCode: '0481', city: 'OSLO', maxNumber: 15 },
  { name: 'Vitaminveien', postalCode: '0485', city: 'OSLO', maxNumber: 40 },
  { name: 'Storgata', postalCode: '2000', city: 'LILLESTRØM', maxNumber: 60 },
  { name: 'Trondheimsveien', postalCode: '0560', city: 'OSLO', maxNumber: 300 },
  { name: 'Beierbakken', postalCode: '0479', city: 'OSLO', maxNumber: 20 },
];

import { describe, expect, it } from 'vitest';
import type { DateFilter, ParsedQuery, PlaceFilter } from '../../../../src/common/api/search-query';
import type { QueryVocabulary } from '../../../../src/engine/search/query/names';
import { onlyStopWords, parseQuery } from '../../../../src/engine/search/query/parse-query';

const BUSAN: PlaceFilter = { kind: 'city', id: '1838524', name: 'Busan', country: 'KR' };
const SEOUL: PlaceFilter = { kind: 'city', id: '1835848', name: 'Seoul', country: 'KR' };
const PARIS: PlaceFilter = { kind: 'city', id: '2988507', name: 'Paris', country: 'FR' };
const NYC: PlaceFilter = { kind: 'city', id: '5128581', name: 'New York City', country: 'US' };
const KOREA: PlaceFilter = { kind: 'country', id: 'KR', name: 'South Korea', country: 'KR' };
const JAPAN: PlaceFilter = { kind: 'country', id: 'JP', name: 'Japan', country: 'JP' };

const vocabulary: QueryVocabulary = {
  people: [
    { name: 'Mina Kim', photos: 40 },
    { name: 'Mina Park', photos: 12 },
    { name: 'Jun', photos: 30 },
    { name: '김민지', photos: 25 },
    { name: '이서준', photos: 10 },
    { name: 'Anna Maria Lopez', photos: 3 },
  ],
  places: [
    { names: ['Busan', '부산'], place: BUSAN, photos: 20 },
    { names: ['Seoul', '서울'], place: SEOUL, photos: 15 },
    { names: ['Paris', '파리'], place: PARIS, photos: 8 },
    { names: ['New York City', 'New York', '뉴욕'], place: NYC, photos: 4 },
    { names: ['South Korea', 'Korea', 'Republic of Korea', '대한민국', '한국'], place: KOREA, photos: 35 },
    { names: ['Japan', '일본'], place: JAPAN, photos: 9 },
  ],
};

// Friday 27 November 2026, northern hemisphere.
const TODAY = { y: 2026, m: 11, d: 27 };
const parse = (q: string, vocab: QueryVocabulary = vocabulary, hemisphere: 'north' | 'south' = 'north') =>
  parseQuery(q, { vocabulary: vocab, today: TODAY, hemisphere });
const range = (from: string | null, to: string | null): DateFilter => ({ kind: 'range', from, to });
const year = (y: number) => range(`${y}-01-01`, `${y}-12-31`);
type SeasonName = 'spring' | 'summer' | 'autumn' | 'winter';
const season = (s: SeasonName, y: number | null): DateFilter => ({ kind: 'season', season: s, year: y });
/** "last summer": the year in each hemisphere; `year` is the northern (library) one. */
const relative = (
  s: SeasonName,
  said: 'last' | 'this',
  north: number,
  south: number,
  library: 'north' | 'south' = 'north',
): DateFilter => ({
  kind: 'season',
  season: s,
  year: library === 'north' ? north : south,
  relative: { said, north, south },
});

/** The filters read, without chips (checked separately). */
function filters(q: ParsedQuery) {
  return { people: q.people.map((p) => p.name), dates: q.dates, places: q.places.map((p) => p.name), text: q.text, visual: q.visual };
}
const expected = (e: Partial<ReturnType<typeof filters>>) => ({ people: [], dates: [], places: [], text: [], visual: '', ...e });

const CASES: [string, Partial<ReturnType<typeof filters>>][] = [
  // People
  ['Mina Kim', { people: ['Mina Kim'] }],
  ['mina kim at the beach', { people: ['Mina Kim'], visual: 'beach' }],
  ['photos of Jun', { people: ['Jun'] }],
  ['Jun and Mina Park', { people: ['Jun', 'Mina Park'] }],
  ['Mina Kim and Jun jumping', { people: ['Mina Kim', 'Jun'], visual: 'jumping' }],
  ["Jun's birthday cake", { people: ['Jun'], visual: 'birthday cake' }],
  ['Anna Maria Lopez dancing', { people: ['Anna Maria Lopez'], visual: 'dancing' }],
  ['junk food', { visual: 'junk food' }],
  ['김민지', { people: ['김민지'] }],
  ['민지와 서준', { people: ['김민지', '이서준'] }],
  ['민지가 웃는 사진', { people: ['김민지'], visual: '웃는' }],
  ['rose garden', { visual: 'rose garden' }],
  // Dates, English
  ['2019', { dates: [year(2019)] }],
  ['beach 2019', { dates: [year(2019)], visual: 'beach' }],
  ['in July 2021', { dates: [range('2021-07-01', '2021-07-31')] }],
  ['July 4, 2021 fireworks', { dates: [range('2021-07-04', '2021-07-04')], visual: 'fireworks' }],
  ['4 July 2021', { dates: [range('2021-07-04', '2021-07-04')] }],
  ['July', { dates: [{ kind: 'month', month: 7 }] }],
  ['July 4', { dates: [{ kind: 'month', month: 7, day: 4 }] }],
  ['last year', { dates: [year(2025)] }],
  ['this year', { dates: [year(2026)] }],
  ['last month', { dates: [range('2026-10-01', '2026-10-31')] }],
  ['this month', { dates: [range('2026-11-01', '2026-11-30')] }],
  ['last week', { dates: [range('2026-11-16', '2026-11-22')] }],
  ['yesterday', { dates: [range('2026-11-26', '2026-11-26')] }],
  ['today', { dates: [range('2026-11-27', '2026-11-27')] }],
  ['3 years ago', { dates: [year(2023)] }],
  ['a month ago', { dates: [range('2026-10-01', '2026-10-31')] }],
  ['two days ago', { dates: [range('2026-11-25', '2026-11-25')] }],
  ['last summer', { dates: [relative('summer', 'last', 2026, 2025)] }],
  ['this spring', { dates: [relative('spring', 'this', 2026, 2026)] }],
  ['this winter', { dates: [relative('winter', 'this', 2026, 2026)] }],
  ['last winter', { dates: [relative('winter', 'last', 2025, 2026)] }],
  ['summer 2025', { dates: [season('summer', 2025)] }],
  ['summer of 2019', { dates: [season('summer', 2019)] }],
  ['summer', { dates: [season('summer', null)] }],
  ['last fall', { dates: [relative('autumn', 'last', 2025, 2026)] }],
  ['kids fall down', { visual: 'kids fall down' }],
  ['2019–2021', { dates: [range('2019-01-01', '2021-12-31')] }],
  ['2019-2021', { dates: [range('2019-01-01', '2021-12-31')] }],
  ['from 2019 to 2021', { dates: [range('2019-01-01', '2021-12-31')] }],
  ['between 2018 and 2020', { dates: [range('2018-01-01', '2020-12-31')] }],
  ['before 2020', { dates: [range(null, '2019-12-31')] }],
  ['since 2022', { dates: [range('2022-01-01', null)] }],
  ['the 1990s', { dates: [range('1990-01-01', '1999-12-31')] }],
  ['2021-07-04', { dates: [range('2021-07-04', '2021-07-04')] }],
  ['in May', { dates: [{ kind: 'month', month: 5 }] }],
  ['you may smile', { visual: 'you may smile' }],
  // Dates, Korean
  ['작년', { dates: [year(2025)] }],
  ['올해', { dates: [year(2026)] }],
  ['재작년 겨울', { dates: [season('winter', 2024)] }],
  ['2025년 여름', { dates: [season('summer', 2025)] }],
  ['3월', { dates: [{ kind: 'month', month: 3 }] }],
  ['지난달', { dates: [range('2026-10-01', '2026-10-31')] }],
  ['작년 여름', { dates: [season('summer', 2025)] }],
  ['올해 3월에', { dates: [range('2026-03-01', '2026-03-31')] }],
  ['2021년 7월 4일', { dates: [range('2021-07-04', '2021-07-04')] }],
  ['2021년 7월', { dates: [range('2021-07-01', '2021-07-31')] }],
  ['어제', { dates: [range('2026-11-26', '2026-11-26')] }],
  ['3년 전', { dates: [year(2023)] }],
  ['2일 전', { dates: [range('2026-11-25', '2026-11-25')] }],
  ['지난 여름', { dates: [relative('summer', 'last', 2026, 2025)] }],
  ['올여름', { dates: [relative('summer', 'this', 2026, 2026)] }],
  ['가을에', { dates: [season('autumn', null)] }],
  ['2019년부터 2021년까지', { dates: [range('2019-01-01', '2021-12-31')] }],
  ['2019~2021', { dates: [range('2019-01-01', '2021-12-31')] }],
  ['2020년 이전', { dates: [range(null, '2019-12-31')] }],
  ['1990년대', { dates: [range('1990-01-01', '1999-12-31')] }],
  // Places
  ['Busan', { places: ['Busan'] }],
  ['sunset in Paris', { places: ['Paris'], visual: 'sunset' }],
  ['New York at night', { places: ['New York City'], visual: 'night' }],
  ['부산에서', { places: ['Busan'] }],
  ['한국', { places: ['South Korea'] }],
  ['Japan and Korea', { places: ['Japan', 'South Korea'] }],
  ['Nice beach', { visual: 'Nice beach' }],
  // Text in the photo
  ['"open 24 hours"', { text: ['open 24 hours'] }],
  ['sign “No parking” in Seoul', { places: ['Seoul'], text: ['no parking'], visual: 'sign' }],
  // Everything together
  [
    'Mina jumping at the beach in Busan last summer',
    { people: ['Mina Kim'], dates: [relative('summer', 'last', 2026, 2025)], places: ['Busan'], visual: 'jumping at the beach' },
  ],
  ['작년 여름 부산에서 민지', { people: ['김민지'], dates: [season('summer', 2025)], places: ['Busan'] }],
  [
    'Jun in Paris in July 2021 eating "croissant"',
    { people: ['Jun'], dates: [range('2021-07-01', '2021-07-31')], places: ['Paris'], text: ['croissant'], visual: 'eating' },
  ],
  ['2025년 여름 서울에서 민지와 서준', { people: ['김민지', '이서준'], dates: [season('summer', 2025)], places: ['Seoul'] }],
  ['dog on a beach', { visual: 'dog on a beach' }],
];

describe('parseQuery: the exact filters read from a query', () => {
  it('has at least 60 queries in English and Korean', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(CASES.filter(([q]) => /\p{Script=Hangul}/u.test(q)).length).toBeGreaterThanOrEqual(20);
  });
  it.each(CASES)('%s', (query, want) => {
    expect(filters(parse(query))).toEqual(expected(want));
  });
});

describe('parseQuery: people', () => {
  it('a first name shared by two people offers both and says which was used', () => {
    const q = parse('Mina at the beach');
    expect(q.people).toEqual([{ name: 'Mina Kim', words: 'Mina', alternatives: ['Mina Park'] }]);
    expect(q.warnings.join(' ')).toMatch(/"Mina" could be Mina Kim or Mina Park: searching Mina Kim/);
  });
  it('a name that is also a month or a flower is a person only when such a person exists', () => {
    const withJune: QueryVocabulary = {
      ...vocabulary,
      people: [...vocabulary.people, { name: 'June', photos: 3 }, { name: 'Rose', photos: 2 }],
    };
    expect(filters(parse('June', withJune))).toEqual(expected({ people: ['June'] }));
    expect(filters(parse('June 2021', withJune))).toEqual(expected({ dates: [range('2021-06-01', '2021-06-30')] }));
    expect(filters(parse('in june', withJune))).toEqual(expected({ dates: [{ kind: 'month', month: 6 }] }));
    expect(filters(parse('beach during June', withJune))).toEqual(expected({ dates: [{ kind: 'month', month: 6 }], visual: 'beach' }));
    expect(filters(parse('cake with June', withJune))).toEqual(expected({ people: ['June'], visual: 'cake' }));
    expect(filters(parse('rose garden', withJune))).toEqual(expected({ people: ['Rose'], visual: 'garden' }));
    expect(filters(parse('June'))).toEqual(expected({ dates: [{ kind: 'month', month: 6 }] }));
  });
});

describe('parseQuery: accents', () => {
  it('names match with or without accents, on either side: "tubingen", "sean o\'brien", "Zürich" typed as "Zurich"', () => {
    const TUBINGEN: PlaceFilter = { kind: 'city', id: '2820860', name: 'Tübingen', country: 'DE' };
    const ZURICH: PlaceFilter = { kind: 'city', id: '2657896', name: 'Zurich', country: 'CH' };
    const accented: QueryVocabulary = {
      people: [
        { name: "Seán O'Brien", photos: 4 },
        { name: 'José', photos: 2 },
      ],
      places: [
        { names: ['Tübingen'], place: TUBINGEN, photos: 3 },
        { names: ['Zurich'], place: ZURICH, photos: 1 },
      ],
    };
    expect(filters(parse('tubingen', accented))).toEqual(expected({ places: ['Tübingen'] }));
    expect(filters(parse('TÜBINGEN', accented))).toEqual(expected({ places: ['Tübingen'] }));
    expect(filters(parse('Zürich lake', accented))).toEqual(expected({ places: ['Zurich'], visual: 'lake' }));
    expect(filters(parse("sean o'brien", accented))).toEqual(expected({ people: ["Seán O'Brien"] }));
    expect(filters(parse('Sean', accented))).toEqual(expected({ people: ["Seán O'Brien"] }));
    expect(filters(parse("jose's cake", accented))).toEqual(expected({ people: ['José'], visual: 'cake' }));
    // Hangul is left whole (NFD splits syllables into jamo; they are put back)
    expect(filters(parse('민지와 서준'))).toEqual(expected({ people: ['김민지', '이서준'] }));
  });
});

describe('parseQuery: dates', () => {
  it('"February 30" is read as a typo for February, with a warning', () => {
    const q = parse('February 30');
    expect(q.dates).toEqual([{ kind: 'month', month: 2 }]);
    expect(q.warnings).toEqual(['February has no day 30: read as a typo, searching all of February.']);
    const y = parse('February 29 2023');
    expect(y.dates).toEqual([range('2023-02-01', '2023-02-28')]);
    expect(y.warnings[0]).toMatch(/no day 29 in 2023/);
  });
  it('"last summer" is resolved in each hemisphere: on 27 November it is 2026 in the north, Dec 2025 – Feb 2026 in the south', () => {
    expect(parse('last summer', vocabulary, 'south').dates).toEqual([relative('summer', 'last', 2026, 2025, 'south')]);
    expect(parse('this summer', vocabulary, 'south').dates).toEqual([relative('summer', 'this', 2026, 2026, 'south')]);
    // When the years differ the chip stays short (the words as said) and its detail gives both years.
    expect(parse('last summer').chips[0]).toMatchObject({
      label: 'last summer',
      detail: 'summer 2026 in the northern hemisphere, summer 2025 in the southern',
    });
    expect(parse('지난 여름').chips[0]).toMatchObject({ label: '지난 여름', detail: '북반구 2026년 여름, 남반구 2025년 여름' });
    expect(parse('last winter', vocabulary, 'south').chips[0]).toMatchObject({
      label: 'last winter',
      detail: 'winter 2025 in the northern hemisphere, winter 2026 in the southern',
    });
    // The same year in both: the year itself, and no detail.
    expect(parse('this summer').chips[0]).toEqual({ kind: 'date', label: 'summer 2026', source: 'this summer' });
  });
  it('warnings speak the language of the query', () => {
    expect(parse('2월 30일').warnings).toEqual(['2월에는 30일이 없습니다: 오타로 보고 2월 전체를 찾습니다.']);
    const withTwoMinji: QueryVocabulary = { ...vocabulary, people: [...vocabulary.people, { name: '박민지', photos: 2 }] };
    const q = parse('민지', withTwoMinji);
    expect(q.people).toEqual([{ name: '김민지', words: '민지', alternatives: ['박민지'] }]);
    expect(q.warnings).toEqual([
      '"민지"은(는) 김민지, 박민지 중 누구일 수 있습니다: 사진이 가장 많은 김민지(으)로 찾습니다. 다른 사람은 전체 이름으로 입력하세요.',
    ]);
  });

  it('odd dates: 13월 is no month (a warning), the 1800s are a decade, emoji stay for CLIP', () => {
    const q = parse('2025년 13월');
    expect(filters(q)).toEqual(expected({ dates: [year(2025)], visual: '13월' }));
    expect(q.warnings).toEqual(['13월은 없는 달입니다(1월–12월): 날짜로 읽지 않고 그림 검색(CLIP)에 보냅니다.']);
    expect(parse('12월').warnings).toEqual([]);
    expect(filters(parse('the 1800s'))).toEqual(expected({ dates: [range('1800-01-01', '1809-12-31')] }));
    expect(filters(parse('1850s portrait'))).toEqual(expected({ dates: [range('1850-01-01', '1859-12-31')], visual: 'portrait' }));
    expect(filters(parse('🐶🏖️'))).toEqual(expected({ visual: '🐶🏖️' }));
    expect(filters(parse('Busan 🐶 2025'))).toEqual(expected({ places: ['Busan'], dates: [year(2025)], visual: '🐶' }));
  });

  it('backwards year ranges are turned around with a warning', () => {
    const q = parse('2021-2019');
    expect(q.dates).toEqual([range('2019-01-01', '2021-12-31')]);
    expect(q.warnings[0]).toMatch(/run backwards/);
  });
});

describe('parseQuery: chips and stop words', () => {
  it('chips follow the query, each with the words it came from', () => {
    const q = parse('Mina jumping at the beach in Busan last summer');
    expect(q.chips).toEqual([
      { kind: 'person', label: 'Mina Kim', source: 'Mina' },
      { kind: 'visual', label: 'jumping at the beach', source: 'jumping at the beach' },
      { kind: 'place', label: 'Busan', source: 'in Busan' },
      {
        kind: 'date',
        label: 'last summer',
        source: 'last summer',
        detail: 'summer 2026 in the northern hemisphere, summer 2025 in the southern',
      },
    ]);
    expect(parse('작년 여름 부산에서 민지').chips.map((c) => c.label)).toEqual(['2025년 여름', '부산', '김민지']);
  });
  it('date chips read naturally in the language of the query', () => {
    const labels = (q: string) => parse(q).chips.map((c) => c.label);
    expect(labels('before 2020')).toEqual(['before 2020']);
    expect(labels('since 2022')).toEqual(['since 2022']);
    expect(labels('2020년 이전')).toEqual(['2020년 이전']);
    expect(labels('2019년부터 2021년까지')).toEqual(['2019–2021년']);
    expect(labels('2019~2021')).toEqual(['2019–2021']);
    expect(labels('in July 2021')).toEqual(['July 2021']);
    expect(labels('2021년 7월')).toEqual(['2021년 7월']);
    expect(labels('yesterday')).toEqual(['2026-11-26']);
    expect(labels('3월')).toEqual(['3월']);
    expect(labels('July 4')).toEqual(['July 4']);
  });

  it('an unclosed quote is a phrase to the end of the query, with a warning', () => {
    const q = parse('Busan "open 24');
    expect(filters(q)).toEqual(expected({ places: ['Busan'], text: ['open 24'] }));
    expect(q.warnings).toEqual(['The quote is not closed: searching “open 24” (to the end) as text in the photo.']);
    expect(parse('"빵집').warnings).toEqual(['따옴표가 닫히지 않았습니다: 끝까지 “빵집”을(를) 사진 속 글자로 찾습니다.']);
    expect(parse('sign "open" in "Seoul"').warnings).toEqual([]);
  });

  it('a query of stop words only is recognised', () => {
    expect(onlyStopWords('the of and')).toBe(true);
    expect(onlyStopWords('사진 보여줘')).toBe(true);
    expect(onlyStopWords('the dog')).toBe(false);
    expect(parse('photos of the').visual).toBe('');
  });
});

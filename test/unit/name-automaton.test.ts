import { describe, expect, it } from 'vitest';
import { NameAutomaton } from '../../shared/domain/name-automaton.js';

const automaton = new NameAutomaton<string>([
  ['虞山', 'hill'],
  ['虞山林场', 'forest'],
  ['林场', 'farm'],
  ['福山', 'former'],
  ['福山村', 'village'],
  ['福山', 'community'],
  ['he', 'he'],
  ['she', 'she'],
  ['his', 'his'],
  ['hers', 'hers'],
]);

describe('NameAutomaton', () => {
  it('finds every occurrence, overlapping ones included (the classic ushers example)', () => {
    const names = automaton.findAll('ushers').map((match) => `${match.name}@${match.start}`);
    expect(names.sort()).toEqual(['he@2', 'hers@2', 'she@1']);
  });

  it('merges the values of a name given twice', () => {
    expect(automaton.size).toBe(9);
    const [match] = automaton.findAll('福山');
    expect(match?.values).toEqual(['former', 'community']);
  });

  it('keeps only whole names: a name inside a longer match does not count', () => {
    expect(automaton.findLongest('虞山林场东侧').map((match) => match.name)).toEqual(['虞山林场']);
    expect(automaton.findLongest('海虞镇福山村七组').map((match) => match.name)).toEqual(['福山村']);
  });

  it('reports offsets in text order for separate mentions', () => {
    const matches = automaton.findLongest('虞山脚下，福山那边');
    expect(matches.map((match) => [match.name, match.start, match.end])).toEqual([
      ['虞山', 0, 2],
      ['福山', 5, 7],
    ]);
  });

  it('finds nothing in unrelated text and ignores empty names', () => {
    expect(new NameAutomaton([['', 1]]).size).toBe(0);
    expect(automaton.findAll('常熟市沙家浜镇')).toEqual([]);
  });

  it('handles characters outside the basic plane', () => {
    const wide = new NameAutomaton([['𠮷野', 'x']]);
    expect(wide.findAll('在𠮷野家')).toEqual([{ name: '𠮷野', start: 1, end: 4, values: ['x'] }]);
  });
});

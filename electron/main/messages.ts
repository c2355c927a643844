/**
 * The main process's own words: native dialogs shown when the window cannot help (start-up failed,
 * the worker keeps crashing). English and Korean, like the renderer; {name} is filled in by `say`.
 */
export type Language = 'en' | 'ko';

const en = {
  'startup.title': 'Facet could not start',
  'startup.quit': 'Quit',
  'startup.openOther': 'Open another library…',
  'startup.pickLibrary': 'Choose a folder for the library',
  'startup.log': 'Details are in the log: {log}',
  'startup.error': 'What failed: {error}',
  'cause.schema_too_new': 'The library at {library} is from a newer Facet.',
  'try.schema_too_new': 'Install the newest Facet, or open another library.',
  'cause.library_readonly': 'Facet cannot write to its library at {library}.',
  'try.library_readonly': 'Make the folder writable (permissions, a read-only disk or share), or open another library.',
  'cause.disk_full': 'The disk holding the library at {library} is full.',
  'try.disk_full': 'Free some space and start Facet again. Nothing was lost.',
  'cause.library_busy': 'Another Facet process is using the library at {library}.',
  'try.library_busy': 'Wait for it to finish (for example `facet index`), then start Facet again.',
  'cause.native_module': 'A built-in part of Facet (its database driver) does not fit this version of Electron.',
  'try.native_module': 'Reinstall Facet. Running from source, start it with `npm start`, which builds that part for Electron.',
  'cause.corrupt': 'The library database at {library} is damaged.',
  'try.corrupt':
    'Restore facet.db from a backup (Facet keeps one before each upgrade), or open another library. Your photos are untouched.',
  'cause.other': 'Facet could not open the library at {library}.',
  'try.other': 'Start Facet again, or open another library. If it keeps failing, report the problem with the log.',
  'worker.title': 'Facet’s background worker keeps crashing',
  'worker.message':
    'It crashed {crashes} times within a minute, so Facet stopped restarting it. Indexing and search wait until it runs again.',
  'worker.detail': 'A photo that crashed it is set aside on the next start. Details are in the log: {log}',
  'worker.restart': 'Restart it',
  'worker.later': 'Not now',
} as const;

export type MessageKey = keyof typeof en;

const ko: Record<MessageKey, string> = {
  'startup.title': 'Facet을 시작할 수 없습니다',
  'startup.quit': '종료',
  'startup.openOther': '다른 라이브러리 열기…',
  'startup.pickLibrary': '라이브러리로 쓸 폴더를 선택하세요',
  'startup.log': '자세한 내용은 로그에 있습니다: {log}',
  'startup.error': '실패한 내용: {error}',
  'cause.schema_too_new': '{library}의 라이브러리는 더 새로운 버전의 Facet에서 만들어졌습니다.',
  'try.schema_too_new': '최신 Facet을 설치하거나 다른 라이브러리를 여세요.',
  'cause.library_readonly': 'Facet이 {library}의 라이브러리에 쓸 수 없습니다.',
  'try.library_readonly': '폴더를 쓸 수 있게 하거나(권한, 읽기 전용 디스크나 공유 폴더) 다른 라이브러리를 여세요.',
  'cause.disk_full': '{library}의 라이브러리가 있는 디스크가 가득 찼습니다.',
  'try.disk_full': '공간을 확보한 뒤 Facet을 다시 시작하세요. 잃어버린 것은 없습니다.',
  'cause.library_busy': '다른 Facet 프로세스가 {library}의 라이브러리를 사용 중입니다.',
  'try.library_busy': '그 작업(예: `facet index`)이 끝날 때까지 기다린 뒤 Facet을 다시 시작하세요.',
  'cause.native_module': 'Facet의 내장 구성 요소(데이터베이스 드라이버)가 이 Electron 버전과 맞지 않습니다.',
  'try.native_module': 'Facet을 다시 설치하세요. 소스에서 실행한다면 `npm start`로 시작하세요. 그 구성 요소를 Electron용으로 빌드합니다.',
  'cause.corrupt': '{library}의 라이브러리 데이터베이스가 손상되었습니다.',
  'try.corrupt':
    '백업에서 facet.db를 복원하거나(Facet은 업그레이드 전마다 백업을 남깁니다) 다른 라이브러리를 여세요. 사진 원본은 그대로입니다.',
  'cause.other': 'Facet이 {library}의 라이브러리를 열 수 없습니다.',
  'try.other': 'Facet을 다시 시작하거나 다른 라이브러리를 여세요. 계속 실패하면 로그와 함께 문제를 알려 주세요.',
  'worker.title': 'Facet의 백그라운드 작업자가 계속 멈춥니다',
  'worker.message': '1분 안에 {crashes}번 멈춰서 Facet이 다시 시작하지 않았습니다. 다시 실행될 때까지 색인과 검색이 기다립니다.',
  'worker.detail': '작업자를 멈추게 한 사진은 다음 시작 때 제외됩니다. 자세한 내용은 로그에 있습니다: {log}',
  'worker.restart': '다시 시작',
  'worker.later': '나중에',
};

const MESSAGES: Record<Language, Record<MessageKey, string>> = { en, ko };

/** The user's choice in Settings, else the system's preferred languages. */
export function pickLanguage(setting: string | undefined, systemLanguages: readonly string[]): Language {
  if (setting === 'en' || setting === 'ko') return setting;
  return systemLanguages.some((l) => l.toLowerCase().startsWith('ko')) ? 'ko' : 'en';
}

export function say(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

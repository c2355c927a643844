/**
 * Words that say "search my photos" rather than what to look for: dropped from the ends of the visual
 * remainder ("photos of", "at the", "사진"), and a query made only of such words is refused with a
 * message. Inner ones stay ("jumping at the beach" is a caption CLIP understands).
 */
export const EDGE_WORDS = new Set([
  'photo', 'photos', 'picture', 'pictures', 'pic', 'pics', 'image', 'images', 'shot', 'shots', 'snapshot', 'snapshots', 'show', 'me', 'find', 'search', 'all', 'my',
  'our', 'the', 'a', 'an', 'of', 'with', 'and', 'in', 'at', 'on', 'from', 'during', 'near', 'around', 'taken', 'for', 'to', 'some', 'any', 'please', 'by', 'or',
  '사진', '사진들', '사진을', '사진들을', '찍은', '보여줘', '보여', '줘', '찾아줘', '찾아', '모든', '내', '우리', '그리고', '및', '에서', '와', '과', '랑', '하고', '함께', '같이', '나온', '있는',
]);

/** Everything EDGE_WORDS has, plus words with no visual meaning anywhere in a query. */
export const STOP_WORDS = new Set([
  ...EDGE_WORDS, 'is', 'are', 'was', 'were', 'be', 'been', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'here', 'what', 'which', 'who', 'i', 'you', 'we',
  'he', 'she', 'they', 'them', 'his', 'her', 'their', 'your', 'as', 'into', 'than', 'then', 'so', 'but', 'not', 'no', 'do', 'does', 'did', 'just', 'very',
  '그', '이', '저', '것', '좀', '다', '거',
]);

/** Words right before a filter that belong to it: "in Busan", "with Mina", "from 2019", "and Jun". */
export const FILTER_LEAD_WORDS = new Set(['in', 'at', 'on', 'from', 'during', 'of', 'with', 'and', 'near', 'around', 'taken', '&', '+', 'plus', '및', '그리고', '와', '과']);

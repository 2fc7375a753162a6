// CLD2 language identification on sentences in several languages (written for this test), and
// the edge cases the wrapper handles: invalid UTF-8, control characters, truncation, codes.
#include <gtest/gtest.h>

#include "filters/language_id.h"

using namespace winnow;

namespace {
struct Case {
  const char* code;
  const char* text;
};
const Case kCases[] = {
    {"en", "The committee will meet next Tuesday to review the budget and decide which projects get funded."},
    {"de", "Der Ausschuss trifft sich am nächsten Dienstag, um den Haushalt zu prüfen und über die Projekte zu entscheiden."},
    {"fr", "Le comité se réunira mardi prochain pour examiner le budget et décider quels projets seront financés."},
    {"es", "El comité se reunirá el próximo martes para revisar el presupuesto y decidir qué proyectos se financian."},
    {"it", "Il comitato si riunirà martedì prossimo per esaminare il bilancio e decidere quali progetti finanziare."},
    {"pt", "O comitê vai se reunir na próxima terça-feira para analisar o orçamento e decidir quais projetos serão financiados."},
    {"nl", "De commissie komt volgende week dinsdag bijeen om de begroting te bekijken en te beslissen welke projecten geld krijgen."},
    {"ru", "Комитет соберётся в следующий вторник, чтобы рассмотреть бюджет и решить, какие проекты получат финансирование."},
    {"ja", "委員会は来週の火曜日に集まり、予算を見直して、どのプロジェクトに資金を出すかを決めます。"},
    {"zh", "委员会将于下周二开会，审查预算并决定资助哪些项目。我们希望尽快得到结果。"},
    {"ko", "위원회는 다음 주 화요일에 모여 예산을 검토하고 어떤 프로젝트에 자금을 지원할지 결정할 것입니다."},
    {"ar", "ستجتمع اللجنة يوم الثلاثاء المقبل لمراجعة الميزانية وتحديد المشاريع التي سيتم تمويلها."},
    {"pl", "Komisja zbierze się w przyszły wtorek, aby przejrzeć budżet i zdecydować, które projekty otrzymają finansowanie."},
    {"tr", "Komite, bütçeyi gözden geçirmek ve hangi projelerin finanse edileceğine karar vermek için gelecek salı toplanacak."},
};
}  // namespace

TEST(LanguageId, SentencesInSeveralLanguages) {
  for (const Case& c : kCases) {
    LanguageGuess g = DetectLanguage(c.text);
    EXPECT_EQ(g.code, c.code) << c.text;
    EXPECT_TRUE(g.reliable) << c.text;
    EXPECT_GE(g.percent, 80) << c.text;
    EXPECT_GT(g.text_bytes, 0) << c.text;
  }
}

TEST(LanguageId, UnknownForNoLetters) {
  LanguageGuess g = DetectLanguage("12345 67890 !!! ??? ... 42");
  EXPECT_EQ(g.code, "un");
  EXPECT_FALSE(g.reliable);
  EXPECT_EQ(g.percent, 0);
  EXPECT_EQ(DetectLanguage("").code, "un");
}

TEST(LanguageId, SurvivesInvalidUtf8AndControls) {
  std::string s = std::string(kCases[1].text) + "\xC3\x28 \x01\x02 \xFF" + kCases[1].text;
  LanguageGuess g = DetectLanguage(s);
  EXPECT_EQ(g.code, "de");
  EXPECT_TRUE(g.reliable);
}

TEST(LanguageId, MaxBytesCutsAtCodePointBoundary) {
  // Russian first, then a long English tail: looking at 120 bytes sees only the Russian.
  std::string s = std::string(kCases[7].text);
  for (int i = 0; i < 20; ++i) s += std::string(" ") + kCases[0].text;
  EXPECT_EQ(DetectLanguage(s).code, "en");
  for (size_t cut = 100; cut < 110; ++cut) EXPECT_EQ(DetectLanguage(s, cut).code, "ru") << cut;
}

TEST(LanguageId, KnownCodes) {
  EXPECT_TRUE(IsKnownLanguageCode("en"));
  EXPECT_TRUE(IsKnownLanguageCode("zh"));
  EXPECT_TRUE(IsKnownLanguageCode("zh-Hant"));
  EXPECT_FALSE(IsKnownLanguageCode("ENGLISH"));
  EXPECT_FALSE(IsKnownLanguageCode("xx"));
  EXPECT_FALSE(IsKnownLanguageCode("un"));
  EXPECT_FALSE(IsKnownLanguageCode(""));
}

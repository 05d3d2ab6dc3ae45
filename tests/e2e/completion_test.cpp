// Help for the hands and the editor: mistyped commands and options, shell completion generated
// from the command tree (the bash script is loaded into a real bash and asked), and the JSON
// Schema checked against every example project and against the mistakes `validate` catches.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;

Run gardensyncPlain(const std::vector<std::string>& args) {
  std::vector<std::string> argv{GARDENSYNC_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = util::runProcess(argv);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

TEST(Completion, MistypedCommandsNameTheClosestAndUnknownOptionsTheirCommandsHelp) {
  auto deplyo = gardensyncPlain({"deplyo"});
  EXPECT_EQ(deplyo.exitCode, 2);
  EXPECT_TRUE(contains(deplyo.err, "unknown command \"deplyo\" for `gardensync` (did you mean `gardensync deploy`?)"))
      << deplyo.err;
  auto stat = gardensyncPlain({"--log-level", "warn", "sync", "stat"});
  EXPECT_EQ(stat.exitCode, 2);
  EXPECT_TRUE(contains(stat.err, "unknown command \"stat\" for `gardensync sync` (did you mean `gardensync sync status`?)"))
      << stat.err;
  EXPECT_TRUE(contains(stat.err, "`gardensync sync --help` lists its commands")) << stat.err;
  auto flag = gardensyncPlain({"deploy", "--bogus"});
  EXPECT_EQ(flag.exitCode, 2);
  EXPECT_TRUE(contains(flag.err, "--bogus")) << flag.err;
  EXPECT_TRUE(contains(flag.err, "run `gardensync deploy --help` for its options")) << flag.err;
  auto nested = gardensyncPlain({"sync", "status", "--frob"});
  EXPECT_TRUE(contains(nested.err, "run `gardensync sync status --help` for its options")) << nested.err;
}

// What bash completes for the words of `line` (the last one being completed), with the script
// that `gardensync completion bash` prints loaded.
std::vector<std::string> complete(const std::string& line) {
  const std::string script =
      "source <(\"$0\" completion bash) || exit 3\n"
      "read -ra COMP_WORDS <<< \"$1\"\n"
      "[[ $1 == *' ' ]] && COMP_WORDS+=('')\n"
      "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
      "_gardensync\n"
      "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
  auto run = util::runProcess({"bash", "-c", script, GARDENSYNC_BINARY, line});
  EXPECT_EQ(run.exitCode, 0) << run.stderrText;
  EXPECT_EQ(run.stderrText, "");
  std::vector<std::string> words;
  std::istringstream lines(run.stdoutText);
  for (std::string word; std::getline(lines, word);)
    if (!word.empty()) words.push_back(word);
  std::sort(words.begin(), words.end());
  return words;
}

using Words = std::vector<std::string>;

TEST(Completion, BashCompletesTheRealCommandTree) {
  EXPECT_EQ(complete("gardensync sy"), Words({"sync"}));
  EXPECT_EQ(complete("gardensync sync st"), Words({"start", "status", "stop"}));
  EXPECT_EQ(complete("gardensync cleanup "), Words({"deploy"}));
  EXPECT_EQ(complete("gardensync get "), Words({"status"}));
  const auto top = complete("gardensync ");
  for (const char* command : {"completion", "deploy", "exec", "get", "logs", "schema", "sync", "validate", "version"})
    EXPECT_NE(std::find(top.begin(), top.end(), command), top.end()) << command;
  // A command's own options and the global ones.
  const auto deploy = complete("gardensync deploy --");
  for (const char* option : {"--sync", "--dry-run", "--detach", "--root", "--output", "--help"})
    EXPECT_NE(std::find(deploy.begin(), deploy.end(), option), deploy.end()) << option;
  EXPECT_EQ(complete("gardensync logs --f"), Words({"--follow"}));
  // Option values: fixed sets, also after the option of a parent, and the words after a value.
  EXPECT_EQ(complete("gardensync --log-level d"), Words({"debug"}));
  EXPECT_EQ(complete("gardensync sync status --output "), Words({"json", "jsonl", "text"}));
  EXPECT_EQ(complete("gardensync --output json sync re"), Words({"restart"}));
  EXPECT_EQ(complete("gardensync --root /tmp sync sto"), Words({"stop"}));
  // Mutagen's own command line is not ours to complete.
  EXPECT_EQ(complete("gardensync util mutagen s"), Words());
}

TEST(Completion, ZshAndFishScriptsCoverTheSameTree) {
  auto zsh = gardensyncPlain({"completion", "zsh"});
  ASSERT_EQ(zsh.exitCode, 0) << zsh.err;
  EXPECT_TRUE(contains(zsh.out, "bashcompinit")) << zsh.out;
  EXPECT_TRUE(contains(zsh.out, "complete -F _gardensync gardensync")) << zsh.out;
  auto fish = gardensyncPlain({"completion", "fish"});
  ASSERT_EQ(fish.exitCode, 0) << fish.err;
  EXPECT_TRUE(contains(fish.out, "complete -c gardensync -n '__fish_use_subcommand' -a deploy")) << fish.out;
  EXPECT_TRUE(contains(fish.out, "-n '__fish_seen_subcommand_from sync; and not __fish_seen_subcommand_from status "
                                 "stop start restart' -a status"))
      << fish.out;
  EXPECT_TRUE(contains(fish.out, "-l log-level -r -a 'error warn info debug trace'")) << fish.out;
  EXPECT_EQ(gardensyncPlain({"completion", "tcsh"}).exitCode, 2);
}

// Checks every document of `files` against the schema with Python's jsonschema (Debian's
// python3-jsonschema and python3-yaml); prints one line per invalid document.
Run checkWithSchema(const fs::path& schema, const std::vector<fs::path>& files) {
  const std::string script = R"(
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
checked = 0
for name in sys.argv[2:]:
    for i, doc in enumerate(yaml.safe_load_all(open(name))):
        if doc is None:
            continue
        checked += 1
        for error in validator.iter_errors(doc):
            print(f"{name}[{i}]: {'.'.join(str(p) for p in error.absolute_path)}: {error.message}")
print(f"checked {checked}", file=sys.stderr)
)";
  std::vector<std::string> argv{"python3", "-c", script, schema.string()};
  for (const auto& file : files) argv.push_back(file.string());
  auto result = util::runProcess(argv);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

TEST(Completion, SchemaAcceptsEveryExampleProjectAndRejectsWhatValidateRejects) {
  util::TempDir dir("gs-schema-");
  auto schema = gardensyncPlain({"schema"});
  ASSERT_EQ(schema.exitCode, 0) << schema.err;
  std::ofstream(dir.path() / "schema.json") << schema.out;

  std::vector<fs::path> examples;
  const fs::path root = fs::path(GARDENSYNC_FIXTURES_DIR).parent_path().parent_path() / "examples";
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.path().filename().string().ends_with("garden.yml")) examples.push_back(entry.path());
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(GARDENSYNC_FIXTURES_DIR) / "seed"))
    if (entry.path().filename().string().ends_with("garden.yml")) examples.push_back(entry.path());
  ASSERT_GE(examples.size(), 4u);
  auto good = checkWithSchema(dir.path() / "schema.json", examples);
  EXPECT_EQ(good.exitCode, 0) << good.err;
  EXPECT_EQ(good.out, "") << good.out;
  EXPECT_TRUE(contains(good.err, "checked ")) << good.err;

  const fs::path bad = dir.path() / "bad.garden.yml";
  std::ofstream(bad) << "kind: Deploy\nname: a\ntype: container\nspec:\n  image: x\n"
                        "  sync:\n    paths:\n      - source: src\n        target: /app\n        mode: two-ways\n"
                        "---\nkind: Deploy\nname: b\ntype: container\nspec:\n  image: x\n"
                        "sync:\n  paths: []\n"
                        "---\nkind: Deploy\nname: c\ntype: container\nspec:\n  image: x\n  paths: []\n"
                        "---\nkind: Deploy\nname: d\ntype: container\nspec:\n  image: x\n"
                        "  sync:\n    paths:\n      - source: src\n        target: /app\n        exlude: [a]\n";
  auto rejected = checkWithSchema(dir.path() / "schema.json", {bad});
  EXPECT_EQ(rejected.exitCode, 0) << rejected.err;
  EXPECT_TRUE(contains(rejected.out, "bad.garden.yml[0]: spec.sync.paths.0.mode:")) << rejected.out;
  EXPECT_TRUE(contains(rejected.out, "bad.garden.yml[1]: ")) << rejected.out;
  EXPECT_TRUE(contains(rejected.out, "bad.garden.yml[2]: spec:")) << rejected.out;
  EXPECT_TRUE(contains(rejected.out, "bad.garden.yml[3]: spec.sync.paths.0:")) << rejected.out;
}

TEST(AfterSyncSchemaFile, AcceptsTheActionsAndRejectsWhatValidateRejects) {
  util::TempDir dir("gs-schema-");
  auto schema = gardensyncPlain({"schema"});
  ASSERT_EQ(schema.exitCode, 0) << schema.err;
  std::ofstream(dir.path() / "schema.json") << schema.out;
  auto good = checkWithSchema(dir.path() / "schema.json", {fs::path(GARDENSYNC_FIXTURES_DIR) / "after-sync/web/garden.yml"});
  EXPECT_EQ(good.exitCode, 0) << good.err;
  EXPECT_EQ(good.out, "") << good.out;

  const fs::path bad = dir.path() / "bad.garden.yml";
  const std::string head = "kind: Deploy\nname: a\ntype: container\nspec:\n  image: x\n  sync:\n";
  std::ofstream(bad) << head << "    paths:\n      - {source: src, target: /app, afterSync: {run: [a], restart: true}}\n"
                     << "---\n" << head << "    paths:\n      - {source: src, target: /app, afterSync: {restat: true}}\n"
                     << "---\n" << head << "    paths:\n      - {source: src, target: /app, afterSync: {run: []}}\n"
                     << "---\n" << head << "    rebuildOn: [/etc/passwd]\n    paths: []\n";
  auto rejected = checkWithSchema(dir.path() / "schema.json", {bad});
  EXPECT_EQ(rejected.exitCode, 0) << rejected.err;
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(contains(rejected.out, "bad.garden.yml[" + std::to_string(i) + "]: spec.sync.paths.0.afterSync"))
        << rejected.out;
  EXPECT_TRUE(contains(rejected.out, "bad.garden.yml[3]: spec.sync.rebuildOn.0")) << rejected.out;
}

TEST(Completion, ValidateCatchesMisplacedSyncKeysModeTyposAndReadsYamlFiles) {
  util::TempDir dir("gs-validate-");
  const fs::path root = dir.path();
  std::ofstream(root / "project.garden.yaml") << "apiVersion: garden.io/v2\nkind: Project\nname: yaml-files\n"
                                                  "environments:\n  - name: local\n";
  fs::create_directories(root / "src");
  std::ofstream(root / "api.garden.yaml")
      << "kind: Deploy\nname: api\ntype: container\nspec:\n  image: x\nsync:\n  paths:\n    - source: src\n"
         "      target: /app\n"
         "---\nkind: Deploy\nname: web\ntype: container\nspec:\n  image: x\n  paths:\n    - source: src\n"
         "      target: /app\n"
         "---\nkind: Deploy\nname: worker\ntype: container\nspec:\n  image: x\n  sync:\n    - source: src\n"
         "      target: /app\n"
         "---\nkind: Deploy\nname: db\ntype: container\nspec:\n  image: x\n  sync:\n    paths:\n"
         "      - source: src\n        target: /app\n        mode: two-way-resolve\n";
  auto run = util::runProcess({GARDENSYNC_BINARY, "--root", root.string(), "validate"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_TRUE(contains(run.stderrText, "4 configuration errors")) << run.stderrText;
  EXPECT_TRUE(contains(run.stderrText, "api.garden.yaml:6:1: sync: belongs under spec: write it as spec.sync"))
      << run.stderrText;
  EXPECT_TRUE(contains(run.stderrText, "api.garden.yaml:16:3: spec.paths: belongs under spec.sync: write it as "
                                       "spec.sync.paths"))
      << run.stderrText;
  EXPECT_TRUE(contains(run.stderrText, "api.garden.yaml:26:5: spec.sync: expected a mapping, got a list: write the "
                                       "sync paths under spec.sync.paths"))
      << run.stderrText;
  EXPECT_TRUE(contains(run.stderrText, "spec.sync.paths[0].mode: \"two-way-resolve\" is not a sync mode (did you mean "
                                       "\"two-way-resolved\"?"))
      << run.stderrText;

  // --sync=* where no Deploy has sync paths says exactly that.
  std::ofstream(root / "api.garden.yaml", std::ios::trunc) << "kind: Deploy\nname: api\ntype: container\nspec:\n  image: x\n";
  auto noSync = util::runProcess({GARDENSYNC_BINARY, "--root", root.string(), "deploy", "--sync=*", "--dry-run"});
  EXPECT_EQ(noSync.exitCode, 2);
  EXPECT_TRUE(contains(noSync.stderrText, "--sync=*: no Deploy in this project has sync paths (spec.sync.paths)"))
      << noSync.stderrText;
  EXPECT_TRUE(contains(noSync.stderrText, "add spec.sync.paths to one of its Deploys (api)")) << noSync.stderrText;
}

}  // namespace
}  // namespace gardensync::e2e

#include "gardensync/cli/app.h"

int main(int argc, char** argv) { return gardensync::cli::run(argc, argv); }

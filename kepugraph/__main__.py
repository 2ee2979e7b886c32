from kepugraph.cli import main

main()

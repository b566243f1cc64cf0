from qatysu.cli import main

main()

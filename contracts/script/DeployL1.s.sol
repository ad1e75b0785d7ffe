// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "../test/utils/Vm.sol";
import {OpenToken} from "../src/l1/OpenToken.sol";
import {OpenAllocation} from "../src/l1/OpenAllocation.sol";
import {OpenVestingWallet} from "../src/l1/OpenVestingWallet.sol";
import {OpenGovernor} from "../src/l1/OpenGovernor.sol";
import {StakingManager} from "../src/l1/StakingManager.sol";
import {SystemConfig} from "../src/l1/SystemConfig.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Deploys OpenLedger's L1 contracts and writes their addresses to deployments/<chainid>-l1.json.
/// Usage: forge script contracts/script/DeployL1.s.sol --rpc-url $L1_RPC --broadcast [--private-key $PRIVATE_KEY]
/// Env (all optional): PRIVATE_KEY (default: anvil account 0), TEAM_BENEFICIARY, INVESTORS_BENEFICIARY,
/// ECOSYSTEM, LIQUIDITY (default: the deployer), VESTING_START (default: now), VESTING_CLIFF (default 1 year),
/// VESTING_DURATION (default 4 years), TIMELOCK_DELAY (default 1 day), UNBONDING_PERIOD (default 7 days),
/// CHALLENGER_BPS (default 1000), ALLOC_{COMMUNITY,INVESTORS,TEAM,ECOSYSTEM,LIQUIDITY}_BPS (default: the
/// OpenAllocation table 5171/1829/1500/1000/500; the token rejects a table that does not sum to 10,000),
/// BATCHER (default anvil account 2), BASE_FEE_SCALAR, BLOB_BASE_FEE_SCALAR, L2_GAS_LIMIT, UNSAFE_BLOCK_SIGNER,
/// L2_CHAIN_ID (for the batch inbox address, default 1330660686).
/// Wiring: community share (51.71%) -> timelock; team and investor shares -> OpenVestingWallet (cliff + linear);
/// governor is the timelock's only proposer and canceller, anyone may execute, the deployer renounces the timelock
/// admin role; StakingManager is owned by the timelock, which is also its treasury.
contract DeployL1 {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant ANVIL_KEY_0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;
    /// @dev anvil's third dev account: the devnet's default batcher.
    address internal constant ANVIL_ADDR_2 = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;

    struct Deployed {
        OpenToken token;
        TimelockController timelock;
        OpenGovernor governor;
        StakingManager staking;
        OpenVestingWallet teamVesting;
        OpenVestingWallet investorVesting;
        SystemConfig systemConfig;
        address batchInbox;
    }

    /// @notice Deploys with the env configuration and writes the addresses file.
    function run() external returns (Deployed memory d) {
        uint256 pk = vm.envOr("PRIVATE_KEY", ANVIL_KEY_0);
        address deployer = vm.addr(pk);
        vm.startBroadcast(pk);
        d = _deploy(deployer);
        vm.stopBroadcast();
        _write(d);
    }

    function _deploy(address deployer) internal returns (Deployed memory d) {
        uint64 start = uint64(vm.envOr("VESTING_START", block.timestamp));
        uint64 cliff = uint64(vm.envOr("VESTING_CLIFF", uint256(365 days)));
        uint64 duration = uint64(vm.envOr("VESTING_DURATION", uint256(4 * 365 days)));
        d.teamVesting = new OpenVestingWallet(vm.envOr("TEAM_BENEFICIARY", deployer), start, duration, cliff);
        d.investorVesting = new OpenVestingWallet(vm.envOr("INVESTORS_BENEFICIARY", deployer), start, duration, cliff);

        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        d.timelock = new TimelockController(vm.envOr("TIMELOCK_DELAY", uint256(1 days)), none, anyone, deployer);

        d.token = new OpenToken(
            _shares(),
            OpenAllocation.Recipients({
                community: address(d.timelock),
                investors: address(d.investorVesting),
                team: address(d.teamVesting),
                ecosystem: vm.envOr("ECOSYSTEM", deployer),
                liquidity: vm.envOr("LIQUIDITY", deployer)
            })
        );
        d.governor = new OpenGovernor(IVotes(address(d.token)), d.timelock, 1 days, 2 weeks, 100e18, 25);
        d.timelock.grantRole(d.timelock.PROPOSER_ROLE(), address(d.governor));
        d.timelock.grantRole(d.timelock.CANCELLER_ROLE(), address(d.governor));
        d.timelock.renounceRole(d.timelock.DEFAULT_ADMIN_ROLE(), deployer);

        d.staking = new StakingManager(
            d.token,
            address(d.timelock),
            address(d.timelock),
            uint64(vm.envOr("UNBONDING_PERIOD", uint256(7 days))),
            uint16(vm.envOr("CHALLENGER_BPS", uint256(1_000)))
        );

        // Rollup: SystemConfig owned by the timelock; the batch inbox is OP's convention 0xff00..00<L2 chain id>,
        // an address nobody holds a key for.
        d.systemConfig = new SystemConfig(
            address(d.timelock),
            vm.envOr("BATCHER", ANVIL_ADDR_2),
            uint32(vm.envOr("BASE_FEE_SCALAR", uint256(1368))),
            uint32(vm.envOr("BLOB_BASE_FEE_SCALAR", uint256(810949))),
            uint64(vm.envOr("L2_GAS_LIMIT", uint256(30_000_000))),
            vm.envOr("UNSAFE_BLOCK_SIGNER", deployer)
        );
        d.batchInbox = address(uint160((uint256(0xff) << 152) | vm.envOr("L2_CHAIN_ID", uint256(1330660686))));
    }

    function _shares() internal view returns (OpenAllocation.Shares memory s) {
        s = OpenAllocation.defaults();
        s.community = uint16(vm.envOr("ALLOC_COMMUNITY_BPS", uint256(s.community)));
        s.investors = uint16(vm.envOr("ALLOC_INVESTORS_BPS", uint256(s.investors)));
        s.team = uint16(vm.envOr("ALLOC_TEAM_BPS", uint256(s.team)));
        s.ecosystem = uint16(vm.envOr("ALLOC_ECOSYSTEM_BPS", uint256(s.ecosystem)));
        s.liquidity = uint16(vm.envOr("ALLOC_LIQUIDITY_BPS", uint256(s.liquidity)));
    }

    function _write(Deployed memory d) internal {
        string memory k = "l1";
        vm.serializeUint(k, "chainId", block.chainid);
        vm.serializeAddress(k, "OpenToken", address(d.token));
        vm.serializeAddress(k, "TimelockController", address(d.timelock));
        vm.serializeAddress(k, "OpenGovernor", address(d.governor));
        vm.serializeAddress(k, "StakingManager", address(d.staking));
        vm.serializeAddress(k, "TeamVesting", address(d.teamVesting));
        vm.serializeAddress(k, "InvestorVesting", address(d.investorVesting));
        vm.serializeAddress(k, "SystemConfig", address(d.systemConfig));
        string memory json = vm.serializeAddress(k, "BatchInbox", d.batchInbox);
        vm.createDir("deployments", true);
        vm.writeJson(json, string.concat("deployments/", vm.toString(block.chainid), "-l1.json"));
    }
}
